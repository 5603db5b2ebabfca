package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/sockbook/sockbook/pkg/udp"
)

func udpCommands() []command {
	return []command{
		{"udp-echo", "UDP echo server: send every datagram back to its sender", runUDPEcho},
		{"udp-sender", "send a datagram to an address at an interval (nc -lu shows it)", runUDPSender},
		{"udp-broadcast", "broadcast a timestamp at an interval with SO_BROADCAST", runUDPBroadcast},
	}
}

func runUDPEcho(ctx context.Context, args []string, out io.Writer) error {
	addr, err := parseListen("udp-echo", "", args, nil)
	if err != nil {
		return err
	}
	var lc net.ListenConfig
	pc, err := lc.ListenPacket(ctx, "udp", addr)
	if err != nil {
		return err
	}
	announce(out, pc.LocalAddr())
	return (&udp.EchoServer{Logger: newLogger(out)}).Serve(ctx, pc)
}

func runUDPSender(ctx context.Context, args []string, out io.Writer) error {
	fs := newFlags("udp-sender", "[-to host:port] [-every duration] [-msg text] [-count n]")
	to := fs.String("to", "localhost:5566", "address to send to")
	every := fs.Duration("every", 5*time.Second, "time between datagrams")
	msg := fs.String("msg", "Hello", "message to send; a newline is added, as nc expects")
	count := fs.Int("count", 0, "stop after this many datagrams (0: until interrupted)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	dst, err := net.ResolveUDPAddr("udp", *to)
	if err != nil {
		return fmt.Errorf("-to %q: %w", *to, err)
	}
	// An unconnected socket, as in the cheat sheet: sendto names the
	// destination each time, and an ICMP error for one send does not fail
	// the next.
	pc, err := net.ListenUDP(udpNetwork(dst), nil)
	if err != nil {
		return err
	}
	defer pc.Close()
	s := udp.Sender{To: dst, Payload: udp.Message([]byte(*msg + "\n")), Interval: *every, Count: *count, Logger: newLogger(out)}
	return s.Run(ctx, pc)
}

func runUDPBroadcast(ctx context.Context, args []string, out io.Writer) error {
	fs := newFlags("udp-broadcast", "[-to broadcast-address:port] [-every duration] [-count n]")
	to := fs.String("to", "255.255.255.255:5566", "broadcast address and port to send to")
	every := fs.Duration("every", 5*time.Second, "time between datagrams")
	count := fs.Int("count", 0, "stop after this many datagrams (0: until interrupted)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	dst, err := net.ResolveUDPAddr("udp4", *to)
	if err != nil {
		return fmt.Errorf("-to %q: %w", *to, err)
	}
	pc, err := udp.ListenBroadcast(ctx, "udp4", ":0")
	if err != nil {
		return err
	}
	defer pc.Close()
	s := udp.Sender{To: dst, Payload: udp.Timestamp(nil), Interval: *every, Count: *count, Logger: newLogger(out)}
	return s.Run(ctx, pc)
}

// udpNetwork returns the network of a socket that can send to dst.
func udpNetwork(dst *net.UDPAddr) string {
	if dst.IP.To4() != nil {
		return "udp4"
	}
	return "udp6"
}
