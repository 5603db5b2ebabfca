package selectorecho

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/sockbook/sockbook/pkg/selectors"
	"golang.org/x/sys/unix"
)

// watched is a Selector that counts what Serve asks of it, so the tests can
// see how the loop uses it: a Selector is the loop's only window on the
// sockets, so it is the test's window on the loop.
type watched struct {
	selectors.Selector
	selects     atomic.Int64
	notHandler  atomic.Int64 // registrations whose data is not a selectors.Handler
	registers   atomic.Int64
	unregisters atomic.Int64
	mu          sync.Mutex
	live        map[int]bool // registered descriptors
}

func (w *watched) Register(fd int, ev selectors.Events, data any) (*selectors.SelectorKey, error) {
	w.registers.Add(1)
	if _, ok := data.(selectors.Handler); !ok {
		w.notHandler.Add(1)
	}
	k, err := w.Selector.Register(fd, ev, data)
	if err == nil {
		w.mu.Lock()
		w.live[fd] = true
		w.mu.Unlock()
	}
	return k, err
}

func (w *watched) Unregister(fd int) (*selectors.SelectorKey, error) {
	w.unregisters.Add(1)
	w.mu.Lock()
	delete(w.live, fd)
	w.mu.Unlock()
	return w.Selector.Unregister(fd)
}

func (w *watched) Select(timeout time.Duration) ([]selectors.Ready, error) {
	w.selects.Add(1)
	return w.Selector.Select(timeout)
}

func (w *watched) registered() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.live)
}

// mechanisms are the Selectors every test runs on: the same Serve must work
// over any of them.
var mechanisms = map[string]func() (selectors.Selector, error){
	"poll":  selectors.NewPollSelector,
	"epoll": selectors.NewEpollSelector,
}

// running is one Serve under test.
type running struct {
	sel    *watched
	lfd    int
	addr   string
	cancel context.CancelFunc
	done   chan error
}

// start listens on a non-blocking loopback socket and runs Serve on it.
func start(t *testing.T, newSel func() (selectors.Selector, error)) *running {
	t.Helper()
	lfd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := unix.Bind(lfd, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := unix.Listen(lfd, 128); err != nil {
		t.Fatal(err)
	}
	sa, _ := unix.Getsockname(lfd)
	inner, err := newSel()
	if err != nil {
		t.Fatal(err)
	}
	r := &running{
		sel:  &watched{Selector: inner, live: map[int]bool{}},
		lfd:  lfd,
		addr: fmt.Sprintf("127.0.0.1:%d", sa.(*unix.SockaddrInet4).Port),
		done: make(chan error, 1),
	}
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	go func() { r.done <- Serve(ctx, r.sel, lfd) }()
	select {
	case err := <-r.done:
		cancel()
		inner.Close()
		unix.Close(lfd)
		t.Fatalf("Serve returned %v before its context ended: it must run its loop until then", err)
	case <-time.After(50 * time.Millisecond):
	}
	t.Cleanup(func() {
		cancel()
		select {
		case <-r.done:
		case <-time.After(5 * time.Second):
			t.Error("Serve did not return within 5s of its context ending")
		}
		inner.Close()
		unix.Close(lfd)
	})
	return r
}

func dial(t *testing.T, r *running) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", r.addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(10 * time.Second))
	return c
}

// echo sends data on c while reading it back, and returns what came back.
func echo(c net.Conn, data []byte) ([]byte, error) {
	go c.Write(data)
	got := make([]byte, len(data))
	_, err := io.ReadFull(c, got)
	return got, err
}

// TestEchoes: the task's first line, echo what each client sends.
func TestEchoes(t *testing.T) {
	for name, newSel := range mechanisms {
		t.Run(name, func(t *testing.T) {
			r := start(t, newSel)
			var wg sync.WaitGroup
			for i := range 5 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					c, err := net.Dial("tcp", r.addr)
					if err != nil {
						t.Error(err)
						return
					}
					defer c.Close()
					c.SetDeadline(time.Now().Add(10 * time.Second))
					data := make([]byte, 300<<10)
					for j := range data {
						data[j] = byte(rand.IntN(256))
					}
					got, err := echo(c, data)
					if err != nil {
						t.Errorf("client %d: read back %v (is Serve running its loop, and echoing what it reads?)", i, err)
					} else if !bytes.Equal(got, data) {
						t.Errorf("client %d: the echo of 300 KiB differs from what was sent: bytes lost, repeated or mixed between clients", i)
					}
				}()
			}
			wg.Wait()
			if n := r.sel.notHandler.Load(); n > 0 {
				t.Errorf("%d registrations carried data that is not a selectors.Handler; attach to each descriptor the function its events call", n)
			}
		})
	}
}

// TestClosedClientIsDropped: a client that closes is unregistered and
// closed, and the loop goes idle instead of spinning on it.
func TestClosedClientIsDropped(t *testing.T) {
	for name, newSel := range mechanisms {
		t.Run(name, func(t *testing.T) {
			r := start(t, newSel)
			c := dial(t, r)
			if got, err := echo(c, []byte("hello")); err != nil || string(got) != "hello" {
				t.Fatalf("echo of hello = %q, %v", got, err)
			}
			c.Close()
			deadline := time.Now().Add(2 * time.Second)
			for r.sel.registered() > 1 && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			if n := r.sel.registered(); n != 1 {
				t.Fatalf("2s after the only client closed, %d descriptors are registered, want 1 (the listener): a read of 0 bytes is end of file; unregister the client and close it", n)
			}
			before := r.sel.selects.Load()
			time.Sleep(500 * time.Millisecond)
			if n := r.sel.selects.Load() - before; n > 50 {
				t.Errorf("an idle server called Select %d times in 500ms: the loop spins (a Select timeout of 0, or a descriptor that is always ready)", n)
			}
		})
	}
}

// TestSlowReaderDoesNotBlockOthers: partial writes are kept, and one
// client that does not read holds up nobody else.
func TestSlowReaderDoesNotBlockOthers(t *testing.T) {
	for name, newSel := range mechanisms {
		t.Run(name, func(t *testing.T) {
			r := start(t, newSel)
			slow := dial(t, r)
			data := make([]byte, 4<<20)
			for i := range data {
				data[i] = byte(i * 7)
			}
			sent := make(chan error, 1)
			go func() { _, err := slow.Write(data); sent <- err }()
			time.Sleep(300 * time.Millisecond) // the server's buffers toward slow fill up

			fast := dial(t, r)
			fast.SetDeadline(time.Now().Add(2 * time.Second))
			if got, err := echo(fast, []byte("are you there?")); err != nil || string(got) != "are you there?" {
				t.Fatalf("a second client got %q, %v while the first was not reading: Serve must never block on one client (write what fits, keep the rest, wait for EventWrite)", got, err)
			}
			got := make([]byte, len(data))
			if _, err := io.ReadFull(slow, got); err != nil {
				t.Fatalf("the slow client reading its 4 MiB echo at last: %v", err)
			}
			if !bytes.Equal(got, data) {
				t.Fatal("the slow client's echo differs from what it sent: a partial write was lost or repeated")
			}
			if err := <-sent; err != nil {
				t.Fatalf("the slow client's write: %v", err)
			}
		})
	}
}

// TestStopsWithContext: when ctx ends, Serve returns nil, closes its
// clients and unregisters the listener, but leaves it open.
func TestStopsWithContext(t *testing.T) {
	testenv.CheckFDs(t)
	for name, newSel := range mechanisms {
		t.Run(name, func(t *testing.T) {
			r := start(t, newSel)
			c := dial(t, r)
			if got, err := echo(c, []byte("ping")); err != nil || string(got) != "ping" {
				t.Fatalf("echo of ping = %q, %v", got, err)
			}
			r.cancel()
			select {
			case err := <-r.done:
				if err != nil {
					t.Errorf("Serve returned %v after its context ended, want nil", err)
				}
				r.done <- err // for the cleanup
			case <-time.After(time.Second):
				t.Fatal("Serve did not return within 1s of its context ending: wait with a timeout and check ctx between waits")
			}
			c.SetReadDeadline(time.Now().Add(time.Second))
			if n, err := c.Read(make([]byte, 1)); err != io.EOF {
				t.Errorf("after Serve returned, the client read %d bytes, %v; want EOF: Serve closes its clients", n, err)
			}
			if n := r.sel.registered(); n != 0 {
				t.Errorf("after Serve returned, %d descriptors are still registered, want 0", n)
			}
			if _, err := unix.FcntlInt(uintptr(r.lfd), unix.F_GETFD, 0); err != nil {
				t.Errorf("after Serve returned, the listener is closed (%v): it belongs to the caller", err)
			}
		})
	}
}
