package dualstack

import (
	"context"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/sockbook/sockbook/internal/testenv"
	"golang.org/x/sys/unix"
)

func listen(t *testing.T) (net.Listener, string) {
	t.Helper()
	testenv.MustHaveIPv6(t)
	ln, err := Listen(context.Background(), 0)
	if err != nil {
		t.Fatalf("Listen: %v", err)
	}
	t.Cleanup(func() { ln.Close() })
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return ln, port
}

func TestBothFamiliesConnect(t *testing.T) {
	ln, port := listen(t)
	for _, target := range []string{"127.0.0.1", "::1"} {
		addr := net.JoinHostPort(target, port)
		c, err := net.DialTimeout("tcp", addr, 2*time.Second)
		if err != nil {
			t.Errorf("a client dialing %s cannot connect: %v", addr, err)
			continue
		}
		c.Close()
		ln.(*net.TCPListener).SetDeadline(time.Now().Add(2 * time.Second))
		sc, err := ln.Accept()
		if err != nil {
			t.Fatalf("Accept after dialing %s: %v", addr, err)
		}
		sc.Close()
	}
}

func TestV6OnlyIsOff(t *testing.T) {
	ln, _ := listen(t)
	raw, err := ln.(*net.TCPListener).SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var domain, v6only int
	var gerr error
	raw.Control(func(fd uintptr) {
		domain, gerr = unix.GetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_DOMAIN)
		if gerr == nil {
			v6only, gerr = unix.GetsockoptInt(int(fd), unix.IPPROTO_IPV6, unix.IPV6_V6ONLY)
		}
	})
	if gerr != nil {
		t.Fatalf("getsockopt: %v", gerr)
	}
	if domain != unix.AF_INET6 {
		t.Fatalf("the listening socket's family is %d, want AF_INET6 (%d): one IPv6 socket serves both families", domain, unix.AF_INET6)
	}
	if v6only != 0 {
		t.Errorf("IPV6_V6ONLY is %d on the listening socket, want 0", v6only)
	}
}

func TestPeerUnmapsIPv4(t *testing.T) {
	ln, port := listen(t)
	for target, want := range map[string]string{"127.0.0.1": "127.0.0.1", "::1": "::1"} {
		c, err := net.DialTimeout("tcp", net.JoinHostPort(target, port), 2*time.Second)
		if err != nil {
			t.Skipf("cannot connect over %s (see TestBothFamiliesConnect): %v", target, err)
		}
		defer c.Close()
		sc, err := ln.Accept()
		if err != nil {
			t.Fatal(err)
		}
		defer sc.Close()
		got := Peer(sc)
		local := c.LocalAddr().(*net.TCPAddr)
		if got.Addr().String() != want || got.Port() != uint16(local.Port) {
			t.Errorf("Peer of a client from %s port %d = %s, want %s",
				target, local.Port, got, net.JoinHostPort(want, strconv.Itoa(local.Port)))
		}
	}
}
