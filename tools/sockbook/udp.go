package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/sockbook/sockbook/pkg/udp"
)

func udpEchoFlags(fs *flag.FlagSet) runFunc {
	addr := listenFlag(fs, "localhost:5566")
	return func(ctx context.Context, _ []string, out io.Writer) error {
		return servePacket(ctx, out, *addr, &udp.EchoServer{Logger: newLogger(out)})
	}
}

// senderFlags are the flags of both senders; the broadcaster sends no
// message of the user's.
type senderFlags struct {
	to    *string
	every *time.Duration
	count *int
}

func addSenderFlags(fs *flag.FlagSet, to, toUsage string) senderFlags {
	return senderFlags{
		to:    fs.String("to", to, toUsage),
		every: fs.Duration("every", 5*time.Second, "time between datagrams"),
		count: fs.Int("count", 0, "stop after this many datagrams (0: until interrupted)"),
	}
}

func udpSenderFlags(fs *flag.FlagSet) runFunc {
	f := addSenderFlags(fs, "localhost:5566", "address to send to")
	msg := fs.String("msg", "Hello", "message to send; a newline is added, as nc expects")
	return func(ctx context.Context, _ []string, out io.Writer) error {
		return udpSend(ctx, f, *msg, out)
	}
}

// udpSend sends msg as the flags say until done or until ctx ends.
func udpSend(ctx context.Context, f senderFlags, msg string, out io.Writer) error {
	dst, err := net.ResolveUDPAddr("udp", *f.to)
	if err != nil {
		return fmt.Errorf("-to %q: %w", *f.to, err)
	}
	// An unconnected socket, as in the cheat sheet: sendto names the
	// destination each time, and an ICMP error for one send does not fail
	// the next.
	pc, err := net.ListenUDP(udpNetwork(dst), nil)
	if err != nil {
		return err
	}
	defer pc.Close()
	s := udp.Sender{To: dst, Payload: udp.Message([]byte(msg + "\n")), Interval: *f.every, Count: *f.count, Logger: newLogger(out)}
	return s.Run(ctx, pc)
}

func udpBroadcastFlags(fs *flag.FlagSet) runFunc {
	f := addSenderFlags(fs, "255.255.255.255:5566", "broadcast address and port to send to")
	return func(ctx context.Context, _ []string, out io.Writer) error {
		return udpBroadcast(ctx, f, out)
	}
}

// udpBroadcast broadcasts a timestamp as the flags say until done or
// until ctx ends.
func udpBroadcast(ctx context.Context, f senderFlags, out io.Writer) error {
	dst, err := net.ResolveUDPAddr("udp4", *f.to)
	if err != nil {
		return fmt.Errorf("-to %q: %w", *f.to, err)
	}
	pc, err := udp.ListenBroadcast(ctx, "udp4", ":0")
	if err != nil {
		return err
	}
	defer pc.Close()
	s := udp.Sender{To: dst, Payload: udp.Timestamp(nil), Interval: *f.every, Count: *f.count, Logger: newLogger(out)}
	return s.Run(ctx, pc)
}

// udpNetwork returns the network of a socket that can send to dst.
func udpNetwork(dst *net.UDPAddr) string {
	if dst.IP.To4() != nil {
		return "udp4"
	}
	return "udp6"
}
