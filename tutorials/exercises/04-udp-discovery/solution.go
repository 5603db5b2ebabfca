//go:build solution

package discovery

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"slices"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// setInt sets one integer SOL_SOCKET option on the socket behind rc.
func setInt(rc syscall.RawConn, opt int, name string) error {
	var serr error
	if err := rc.Control(func(fd uintptr) {
		serr = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, opt, 1)
	}); err != nil {
		return err
	}
	return os.NewSyscallError("setsockopt "+name, serr)
}

// EnableBroadcast sets SO_BROADCAST on c, so that c may send to a broadcast
// address.
func EnableBroadcast(c *net.UDPConn) error {
	rc, err := c.SyscallConn()
	if err != nil {
		return fmt.Errorf("discovery: enable broadcast on %s: %w", c.LocalAddr(), err)
	}
	if err := setInt(rc, unix.SO_BROADCAST, "SO_BROADCAST"); err != nil {
		return fmt.Errorf("discovery: enable broadcast on %s: %w", c.LocalAddr(), err)
	}
	return nil
}

// ListenResponder opens the socket a responder reads queries from: UDP over
// IPv4 on port, reachable by broadcasts, and shareable by several responders
// on one machine.
func ListenResponder(ctx context.Context, port int) (*net.UDPConn, error) {
	if port < 1 || port > 65535 {
		return nil, fmt.Errorf("discovery: responder port %d: want 1 to 65535", port)
	}
	// A socket bound to a unicast address (127.0.0.1 included) never sees a
	// broadcast: only the wildcard address does. SO_REUSEADDR lets a second
	// responder bind the same port, and each gets its own copy.
	lc := net.ListenConfig{Control: func(_, _ string, rc syscall.RawConn) error {
		return setInt(rc, unix.SO_REUSEADDR, "SO_REUSEADDR")
	}}
	pc, err := lc.ListenPacket(ctx, "udp4", fmt.Sprintf("0.0.0.0:%d", port))
	if err != nil {
		return nil, fmt.Errorf("discovery: responder on port %d: %w", port, err)
	}
	return pc.(*net.UDPConn), nil
}

// stopOnDone makes a read blocked on c return when ctx ends; the returned
// function undoes that and clears the deadline.
func stopOnDone(ctx context.Context, c *net.UDPConn) func() {
	stop := context.AfterFunc(ctx, func() { c.SetReadDeadline(time.Unix(1, 0)) })
	return func() {
		stop()
		c.SetReadDeadline(time.Time{})
	}
}

// Respond answers every Query that arrives on c with "HERE " and name, sent
// to the query's sender alone, until ctx ends.
func Respond(ctx context.Context, c *net.UDPConn, name string) error {
	defer stopOnDone(ctx, c)()
	reply := []byte("HERE " + name)
	// One byte more than a query: a longer datagram is cut to len(Query)+1
	// bytes and so never equals Query.
	buf := make([]byte, len(Query)+1)
	for {
		n, from, err := c.ReadFromUDPAddrPort(buf)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			if errors.Is(err, syscall.ECONNREFUSED) {
				continue // an earlier reply's ICMP port unreachable: that peer's business
			}
			return fmt.Errorf("discovery: respond on %s: %w", c.LocalAddr(), err)
		}
		if string(buf[:n]) != Query {
			continue
		}
		// A failed reply concerns that one sender; the others still get theirs.
		c.WriteToUDPAddrPort(reply, from)
	}
}

// Discover broadcasts Query from c to to, collects the answers that arrive
// within wait and returns each distinct one, sorted by name, then address.
func Discover(ctx context.Context, c *net.UDPConn, to netip.AddrPort, wait time.Duration) ([]Peer, error) {
	if err := EnableBroadcast(c); err != nil {
		return nil, err
	}
	if _, err := c.WriteToUDPAddrPort([]byte(Query), to); err != nil {
		return nil, fmt.Errorf("discovery: query %s: %w", to, err)
	}
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	defer stopOnDone(ctx, c)()
	var peers []Peer
	buf := make([]byte, 2048)
	for {
		n, from, err := c.ReadFromUDPAddrPort(buf)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			if errors.Is(err, syscall.ECONNREFUSED) {
				continue
			}
			return nil, fmt.Errorf("discovery: answers to %s: %w", to, err)
		}
		name, ok := strings.CutPrefix(string(buf[:n]), "HERE ")
		if !ok || name == "" {
			continue
		}
		p := Peer{Addr: netip.AddrPortFrom(from.Addr().Unmap(), from.Port()), Name: name}
		if !slices.Contains(peers, p) {
			peers = append(peers, p)
		}
	}
	slices.SortFunc(peers, func(a, b Peer) int {
		return cmp.Or(strings.Compare(a.Name, b.Name), a.Addr.Compare(b.Addr))
	})
	return peers, nil
}
