package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/sockbook/sockbook/pkg/sniff"
	"golang.org/x/sys/unix"
)

func sniffIPFlags(fs *flag.FlagSet) runFunc {
	proto := fs.String("proto", "icmp", "IP protocol to capture: icmp, tcp, udp or a number")
	count := fs.Int("count", 0, "stop after this many packets (0: until Ctrl-C)")
	return func(ctx context.Context, _ []string, out io.Writer) error {
		return sniffIP(ctx, *proto, *count, out)
	}
}

// sniffIP prints the source and destination of count IP packets of proto.
func sniffIP(ctx context.Context, proto string, count int, out io.Writer) error {
	p, err := parseProtocol(proto)
	if err != nil {
		return fmt.Errorf("sniff-ip: -proto: %w", err)
	}
	s, err := sniff.ListenIP(p, nil)
	if err != nil {
		return sniffOpenError("sniff-ip", err)
	}
	defer s.Close()
	fmt.Fprintf(out, "listening on ip4:%s 0.0.0.0\n", strings.ToLower(proto))
	return sniffLoop(ctx, s, count, func(pkt []byte) (bool, error) {
		ip, err := sniff.ParseIPv4(pkt)
		if err != nil {
			return false, err
		}
		fmt.Fprintln(out, ip)
		return true, nil
	}, out)
}

func sniffTCPFlags(fs *flag.FlagSet) runFunc {
	port := fs.Int("port", 0, "capture only segments from or to this port, selected in the kernel (0: every port)")
	all := fs.Bool("all", false, "print segments without data too (SYN, bare ACK, ...)")
	count := fs.Int("count", 0, "stop after printing this many segments (0: until Ctrl-C)")
	return func(ctx context.Context, _ []string, out io.Writer) error {
		if *port < 0 || *port > 65535 {
			return fmt.Errorf("sniff-tcp: -port %d out of range 0..65535", *port)
		}
		return sniffTCP(ctx, uint16(*port), *all, *count, out)
	}
}

// sniffTCP prints count TCP segments from or to port (0: any), only
// those with data unless all.
func sniffTCP(ctx context.Context, port uint16, all bool, count int, out io.Writer) error {
	var s *sniff.Sniffer
	var err error
	if port != 0 {
		s, err = sniff.ListenIP(unix.IPPROTO_TCP, sniff.FilterTCPPort(port))
	} else {
		s, err = sniff.ListenIP(unix.IPPROTO_TCP, nil)
	}
	if err != nil {
		return sniffOpenError("sniff-tcp", err)
	}
	defer s.Close()
	fmt.Fprintln(out, "listening on ip4:tcp 0.0.0.0")
	// One IPv4 and one TCP value, decoded into again and again, spare the
	// garbage collector on a busy link.
	var ip sniff.IPv4
	var tcp sniff.TCP
	return sniffLoop(ctx, s, count, func(pkt []byte) (bool, error) {
		if err := ip.Decode(pkt); err != nil {
			return false, err
		}
		if ip.Flags&sniff.IPv4MoreFragments != 0 || ip.FragOffset != 0 {
			return false, nil // the kernel reassembles before raw delivery; be safe anyway
		}
		if err := tcp.Decode(ip.Payload); err != nil {
			return false, err
		}
		if len(tcp.Payload) == 0 && !all {
			return false, nil
		}
		io.WriteString(out, tcp.Dump())
		return true, nil
	}, out)
}

func sniffARPFlags(fs *flag.FlagSet) runFunc {
	ifname := fs.String("i", "", "interface to capture on (default: every interface)")
	count := fs.Int("count", 0, "stop after this many frames (0: until Ctrl-C)")
	return func(ctx context.Context, _ []string, out io.Writer) error {
		return sniffARP(ctx, *ifname, *count, out)
	}
}

// sniffARP prints count ARP frames seen on ifname ("": every interface).
func sniffARP(ctx context.Context, ifname string, count int, out io.Writer) error {
	// Bound to ETH_P_ARP, the socket would see only frames coming in; bound
	// to ETH_P_ALL it sees this host's own requests and replies too, and the
	// filter keeps the ARP ones in the kernel.
	s, err := sniff.ListenLink(ifname, unix.ETH_P_ALL, sniff.FilterEtherType(sniff.EtherTypeARP))
	if err != nil {
		return sniffOpenError("sniff-arp", err)
	}
	defer s.Close()
	where := ifname
	if where == "" {
		where = "any"
	}
	fmt.Fprintf(out, "listening on arp %s\n", where)
	return sniffLoop(ctx, s, count, func(pkt []byte) (bool, error) {
		eth, err := sniff.ParseEthernet(pkt)
		if err != nil {
			return false, err
		}
		if eth.EtherType != sniff.EtherTypeARP {
			return false, nil // a link without Ethernet headers, such as a tunnel
		}
		arp, err := sniff.ParseARP(eth.Payload)
		if err != nil {
			return false, err
		}
		io.WriteString(out, eth.Dump()+arp.Dump())
		return true, nil
	}, out)
}

// sniffLoop reads packets from s and hands each to show until show has
// printed count of them (count 0: no limit) or ctx ends. A packet show
// cannot decode is reported and skipped: one bad packet does not stop a
// sniffer.
func sniffLoop(ctx context.Context, s *sniff.Sniffer, count int, show func([]byte) (bool, error), out io.Writer) error {
	buf := make([]byte, 65535)
	for shown := 0; count <= 0 || shown < count; {
		n, err := s.ReadPacket(ctx, buf)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			return err
		}
		printed, err := show(buf[:n])
		if err != nil {
			fmt.Fprintf(out, "skipping a %d-byte packet: %v\n", n, err)
			continue
		}
		if printed {
			shown++
		}
	}
	return nil
}

// sniffOpenError explains the error of opening a raw socket, which without
// privileges is a bare EPERM.
func sniffOpenError(slug string, err error) error {
	if errors.Is(err, os.ErrPermission) {
		return fmt.Errorf("%s: raw sockets need root or CAP_NET_RAW: %w", slug, err)
	}
	return fmt.Errorf("%s: %w", slug, err)
}

// parseProtocol turns "icmp", "tcp", "udp" or a number into an IP protocol
// number.
func parseProtocol(s string) (int, error) {
	switch strings.ToLower(s) {
	case "icmp":
		return unix.IPPROTO_ICMP, nil
	case "tcp":
		return unix.IPPROTO_TCP, nil
	case "udp":
		return unix.IPPROTO_UDP, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 254 {
		return 0, fmt.Errorf("protocol %q: want icmp, tcp, udp or a number from 1 to 254", s)
	}
	return n, nil
}
