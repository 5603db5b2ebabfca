package pin

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/sockbook/sockbook/pkg/tlsecho"
	"github.com/sockbook/sockbook/tutorials/exercises/internal/background"
)

// server runs pkg/tlsecho's echo server with a fresh self-signed certificate.
func server(t *testing.T) (addr string, cert tls.Certificate) {
	t.Helper()
	cert, err := tlsecho.NewSelfSigned(tlsecho.ECDSAP256, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := (&tlsecho.Config{Certificates: []tls.Certificate{cert}}).TLSConfig()
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		(&tlsecho.Server{TLS: cfg}).Serve(ctx, ln)
	}()
	t.Cleanup(func() { cancel(); <-done })
	return ln.Addr().String(), cert
}

func TestFingerprint(t *testing.T) {
	cert, err := tlsecho.NewSelfSigned(tlsecho.ECDSAP256, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := Fingerprint(cert.Leaf), sha256.Sum256(cert.Certificate[0]); got != want {
		t.Fatalf("Fingerprint = %x, want the SHA-256 of the DER bytes, %x", got, want)
	}
}

func TestDialPinned(t *testing.T) {
	addr, cert := server(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := Dial(ctx, addr, sha256.Sum256(cert.Certificate[0]))
	if err != nil {
		t.Fatalf("Dial with the right pin: %v", err)
	}
	defer c.Close()
	if v := c.ConnectionState().Version; v < tls.VersionTLS12 {
		t.Errorf("negotiated %s, want TLS 1.2 or newer", tls.VersionName(v))
	}
	c.SetDeadline(time.Now().Add(5 * time.Second))
	fmt.Fprint(c, "Hello TLS")
	c.CloseWrite()
	got, err := io.ReadAll(c)
	if err != nil || string(got) != "Hello TLS" {
		t.Fatalf("echo over the pinned connection: got %q, %v; want \"Hello TLS\"", got, err)
	}
}

func TestDialWrongPin(t *testing.T) {
	addr, cert := server(t)
	wrong := sha256.Sum256(cert.Certificate[0])
	wrong[0] ^= 1
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := Dial(ctx, addr, wrong)
	if err == nil {
		c.Close()
		t.Fatal("Dial with a wrong pin succeeded; it must refuse the server")
	}
	if !errors.Is(err, ErrPinMismatch) {
		t.Fatalf("Dial with a wrong pin: %v; want an error wrapping ErrPinMismatch", err)
	}
	if !strings.Contains(err.Error(), fmt.Sprintf("%x", wrong)) {
		t.Errorf("error %q should show the expected fingerprint in hex", err)
	}
}

func TestDialNoServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	if err := func() error {
		c, err := Dial(context.Background(), addr, [32]byte{})
		if err == nil {
			c.Close()
		}
		return err
	}(); err == nil || errors.Is(err, errors.ErrUnsupported) {
		t.Fatalf("Dial to a closed port: got %v, want a connection error", err)
	}
}

func TestDialHonoursContext(t *testing.T) {
	// A listener that never answers the handshake.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	err = background.Wait(t, 5*time.Second, "Dial ignored its context: still waiting 5s after the deadline", func() error {
		c, err := Dial(ctx, ln.Addr().String(), [32]byte{})
		if err == nil {
			c.Close()
		}
		return err
	})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Dial to a silent server: got %v, want an error wrapping context.DeadlineExceeded", err)
	}
}
