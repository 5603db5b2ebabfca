package chat

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sockbook/sockbook/pkg/tlsecho"
)

// The tests come in five milestones, named TestM1… to TestM5…; build the
// server in that order and run the milestones so far, as README.md shows:
//
//	go test -run 'TestM1'      greeting: TLS, welcome, nick, quit
//	go test -run 'TestM[12]'   commands: rooms, messages, who
//	go test -run 'TestM[1-3]'  slow and hostile clients
//	go test -run 'TestM[1-4]'  the admin console
//	go test -race              shutdown, and everything
//
// Only milestone 5 requires Serve to return when its context ends; before
// that, a server that does not is only reported in the log.

// server is one running chat server and what a test needs to reach it.
type server struct {
	t     *testing.T
	addr  string
	admin string
	roots *tls.Config
	stop  func()
	done  chan error
}

// start runs a server for one test. milestone is the test's milestone: from
// 5 on, Serve must return within 5s of its context ending.
func start(t *testing.T, milestone int) *server {
	t.Helper()
	cert, err := tlsecho.NewSelfSigned(tlsecho.ECDSAP256, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	pool, err := tlsecho.CertPool(cert)
	if err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "chat") // short: sun_path holds 107 bytes
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &server{
		t:     t,
		addr:  ln.Addr().String(),
		admin: filepath.Join(dir, "admin.sock"),
		roots: &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"},
		done:  make(chan error, 1),
	}
	srv := &Server{
		TLS:              &tls.Config{Certificates: []tls.Certificate{cert}},
		AdminPath:        s.admin,
		HandshakeTimeout: 500 * time.Millisecond,
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { s.done <- srv.Serve(ctx, ln) }()
	s.stop = cancel
	t.Cleanup(func() {
		cancel()
		wait := 5 * time.Second
		if milestone < 5 {
			ln.Close() // help a server without shutdown yet stop accepting
			wait = time.Second
		}
		select {
		case <-s.done:
		case <-time.After(wait):
			if milestone >= 5 {
				t.Error("milestone 5 (shutdown): Serve did not return within 5s of its context ending")
			} else {
				t.Log("note: Serve has not returned 1s after its context ended; milestone 5 (shutdown) will require it")
			}
		}
	})
	select {
	case err := <-s.done:
		s.done <- err
		t.Fatalf("milestone 1 (greeting): Serve returned at once: %v", err)
	case <-time.After(20 * time.Millisecond):
	}
	return s
}

// waitAdmin waits for the admin console to accept connections (milestone 4).
func (s *server) waitAdmin() {
	s.t.Helper()
	for deadline := time.Now().Add(3 * time.Second); ; {
		select {
		case err := <-s.done:
			s.done <- err
			s.t.Fatalf("Serve returned while waiting for its admin console: %v", err)
		default:
		}
		if c, err := net.Dial("unix", s.admin); err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("milestone 4 (admin console): nothing listens on the UNIX socket %s after 3s", s.admin)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// user is a chat client that reads lines with a deadline.
type user struct {
	t    *testing.T
	name string
	conn *tls.Conn
	r    *bufio.Reader
}

func (s *server) connect(name string) *user {
	s.t.Helper()
	c, err := tls.DialWithDialer(&net.Dialer{Timeout: 3 * time.Second}, "tcp", s.addr, s.roots)
	if err != nil {
		s.t.Fatalf("milestone 1 (greeting): %s: TLS dial: %v", name, err)
	}
	s.t.Cleanup(func() { c.Close() })
	u := &user{t: s.t, name: name, conn: c, r: bufio.NewReader(c)}
	u.expect("OK welcome")
	return u
}

// login connects and takes the nick name.
func (s *server) login(name string) *user {
	u := s.connect(name)
	u.send("NICK " + name)
	u.expect("OK nick " + name)
	return u
}

func (u *user) send(line string) {
	u.t.Helper()
	u.conn.SetWriteDeadline(time.Now().Add(3 * time.Second))
	if _, err := u.conn.Write([]byte(line + "\n")); err != nil {
		u.t.Fatalf("%s: sending %q: %v", u.name, line, err)
	}
}

func (u *user) line() (string, error) {
	u.conn.SetReadDeadline(time.Now().Add(3 * time.Second))
	l, err := u.r.ReadString('\n')
	return strings.TrimSuffix(l, "\n"), err
}

// expect reads the next line and fails unless it starts with prefix.
func (u *user) expect(prefix string) string {
	u.t.Helper()
	l, err := u.line()
	if err != nil {
		u.t.Fatalf("%s: %s: waiting for %q: %v", u.t.Name(), u.name, prefix, err)
	}
	if !strings.HasPrefix(l, prefix) {
		u.t.Fatalf("%s: %s: got %q, want a line starting with %q", u.t.Name(), u.name, l, prefix)
	}
	return l
}

func (s *server) adminCmd(cmd string) string {
	s.t.Helper()
	c, err := net.Dial("unix", s.admin)
	if err != nil {
		s.t.Fatalf("milestone 4 (admin console): %v", err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(3 * time.Second))
	c.Write([]byte(cmd + "\n"))
	l, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		s.t.Fatalf("admin %q: no reply: %v", cmd, err)
	}
	return strings.TrimSuffix(l, "\n")
}

func TestM2RoomsAreSeparate(t *testing.T) {
	s := start(t, 2)
	alice, bob, carol := s.login("alice"), s.login("bob"), s.login("carol")
	alice.send("JOIN go")
	alice.expect("OK joined go")
	bob.send("JOIN go")
	bob.expect("OK joined go")
	alice.expect("* bob joined go")
	carol.send("JOIN rust")
	carol.expect("OK joined rust")

	alice.send("MSG hello gophers")
	alice.expect("go alice: hello gophers")
	bob.expect("go alice: hello gophers")
	carol.send("MSG hello crabs")
	// If alice's message had leaked into rust, carol would see it first.
	carol.expect("rust carol: hello crabs")

	bob.send("WHO")
	bob.expect("OK who go alice bob")
}

func TestM2MovingBetweenRooms(t *testing.T) {
	s := start(t, 2)
	alice, bob := s.login("alice"), s.login("bob")
	alice.send("JOIN a")
	alice.expect("OK joined a")
	bob.send("JOIN a")
	bob.expect("OK joined a")
	alice.expect("* bob joined a")
	bob.send("JOIN b")
	bob.expect("OK joined b")
	alice.expect("* bob left a")
	alice.send("WHO")
	alice.expect("OK who a alice")
}

func TestM1Greeting(t *testing.T) {
	s := start(t, 1)
	u := s.connect("alice") // the TLS handshake, then "OK welcome"
	if v := u.conn.ConnectionState().Version; v < tls.VersionTLS12 {
		t.Errorf("milestone 1 (greeting): negotiated %s, want TLS 1.2 or newer", tls.VersionName(v))
	}
	u.send("NICK alice")
	u.expect("OK nick alice")
	u.send("QUIT")
	u.expect("OK bye")
	if l, err := u.line(); !closedByPeer(err) {
		t.Errorf("milestone 1 (greeting): after QUIT the connection should close; got %q, %v", l, err)
	}
	// A second client is greeted too: the accept loop keeps going.
	s.login("bob")
}

func TestM1NickRules(t *testing.T) {
	s := start(t, 1)
	s.login("alice")
	u := s.connect("second")
	u.send("JOIN go")
	u.expect("ERR")
	u.send("NICK alice")
	u.expect("ERR")
	u.send("NICK no spaces allowed")
	u.expect("ERR")
	u.send("NICK " + strings.Repeat("x", 17))
	u.expect("ERR")
	u.send("NICK bob")
	u.expect("OK nick bob")
	u.send("DANCE")
	u.expect("ERR")
	u.send("MSG nobody hears this")
	u.expect("ERR") // not in a room
	u.send("QUIT")
	u.expect("OK bye")
	if l, err := u.line(); !closedByPeer(err) {
		t.Errorf("after QUIT the connection should close; got %q, %v", l, err)
	}
}

func TestM2DisconnectIsAnnounced(t *testing.T) {
	s := start(t, 2)
	alice, bob := s.login("alice"), s.login("bob")
	alice.send("JOIN go")
	alice.expect("OK joined go")
	bob.send("JOIN go")
	bob.expect("OK joined go")
	alice.expect("* bob joined go")
	bob.conn.Close()
	alice.expect("* bob left go")
	// The nick is free again.
	s.login("bob")
}

func TestM3BadClientsDoNotHurtOthers(t *testing.T) {
	s := start(t, 3)
	alice := s.login("alice")
	alice.send("JOIN go")
	alice.expect("OK joined go")

	// A plaintext client that never handshakes, and one that sends
	// garbage instead of a ClientHello.
	silent, err := net.Dial("tcp", s.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	garbage, err := net.Dial("tcp", s.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer garbage.Close()
	garbage.Write([]byte("GET / HTTP/1.0\r\n\r\n"))

	// A TLS client that sends a line far over the limit is cut off.
	long := s.login("long")
	long.send("MSG " + strings.Repeat("x", 2*MaxLine))
	for {
		_, err := long.line()
		if err != nil && !closedByPeer(err) {
			t.Fatalf("a client that sent a %d-byte line is still connected; lines are limited to %d bytes", 2*MaxLine+4, MaxLine)
		}
		if err != nil {
			break // disconnected, as it should be
		}
	}

	bob := s.login("bob")
	bob.send("JOIN go")
	bob.expect("OK joined go")
	alice.expect("* bob joined go")
	bob.send("MSG still fine")
	alice.expect("go bob: still fine")

	// The silent client is dropped after the handshake timeout.
	silent.SetReadDeadline(time.Now().Add(3 * time.Second))
	if _, err := silent.Read(make([]byte, 1)); err == nil {
		t.Error("a client that never completes the TLS handshake should be disconnected")
	} else if !closedByPeer(err) {
		t.Error("a client that never completes the TLS handshake was still connected after 3s (HandshakeTimeout is 500ms)")
	}
}

func TestM4AdminConsole(t *testing.T) {
	s := start(t, 4)
	s.waitAdmin()
	alice, bob, carol := s.login("alice"), s.login("bob"), s.login("carol")
	for _, u := range []*user{alice, bob} {
		u.send("JOIN go")
		u.expect("OK joined go")
	}
	alice.expect("* bob joined go")
	carol.send("JOIN rust")
	carol.expect("OK joined rust")

	if got := s.adminCmd("users"); got != "users: alice bob carol" {
		t.Errorf("admin users = %q, want \"users: alice bob carol\"", got)
	}
	if got := s.adminCmd("rooms"); got != "rooms: go(2) rust(1)" {
		t.Errorf("admin rooms = %q, want \"rooms: go(2) rust(1)\"", got)
	}
	if got := s.adminCmd("say maintenance at noon"); got != "ok" {
		t.Errorf("admin say = %q, want \"ok\"", got)
	}
	for _, u := range []*user{alice, bob, carol} {
		u.expect("* admin: maintenance at noon")
	}
	if got := s.adminCmd("kick bob"); got != "ok" {
		t.Errorf("admin kick bob = %q, want \"ok\"", got)
	}
	bob.expect("* kicked by admin")
	if l, err := bob.line(); !closedByPeer(err) {
		t.Errorf("a kicked client should be disconnected; got %q, %v", l, err)
	}
	alice.expect("* bob left go")
	if got := s.adminCmd("kick nobody"); !strings.HasPrefix(got, "error") {
		t.Errorf("admin kick nobody = %q, want an error", got)
	}
	if got := s.adminCmd("reboot"); !strings.HasPrefix(got, "error") {
		t.Errorf("admin reboot = %q, want an error", got)
	}
}

func checkShutdown(t *testing.T, s *server, users ...*user) {
	t.Helper()
	for _, u := range users {
		u.expect(ShutdownNotice)
		if l, err := u.line(); !closedByPeer(err) {
			t.Errorf("%s: after the shutdown notice the connection should close; got %q, %v", u.name, l, err)
		}
	}
	select {
	case err := <-s.done:
		s.done <- err // for the cleanup
		if err != nil {
			t.Errorf("Serve returned %v on a graceful shutdown, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("milestone 5 (shutdown): Serve did not return within 5s of the shutdown")
	}
	if c, err := net.DialTimeout("tcp", s.addr, time.Second); err == nil {
		c.Close()
		t.Error("milestone 5 (shutdown): the chat listener still accepts after shutdown")
	}
	if _, err := os.Lstat(s.admin); err == nil {
		t.Error("milestone 5 (shutdown): the admin socket file is still there after shutdown")
	}
}

func TestM5ShutdownByContext(t *testing.T) {
	s := start(t, 5)
	s.waitAdmin()
	alice, idle := s.login("alice"), s.connect("idle") // idle never named itself
	alice.send("JOIN go")
	alice.expect("OK joined go")
	s.stop()
	checkShutdown(t, s, alice, idle)
}

func TestM5ShutdownFromConsole(t *testing.T) {
	s := start(t, 5)
	s.waitAdmin()
	alice := s.login("alice")
	if got := s.adminCmd("shutdown"); got != "ok" {
		t.Errorf("admin shutdown = %q, want \"ok\"", got)
	}
	checkShutdown(t, s, alice)
}

// closedByPeer reports whether err from a read means the other side closed
// the connection, as opposed to the read timing out while it stayed open.
func closedByPeer(err error) bool {
	var ne net.Error
	return err != nil && !(errors.As(err, &ne) && ne.Timeout())
}
