//go:build solution

package chat

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
)

var validNick = regexp.MustCompile(`^[A-Za-z0-9_-]{1,16}$`)

// Serve accepts chat clients on ln (a TCP listener; Serve adds TLS) and
// administrators on AdminPath until ctx ends or an administrator sends
// "shutdown". Then it tells every client, closes every connection and both
// listeners, and returns nil.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	if s.TLS == nil || (len(s.TLS.Certificates) == 0 && s.TLS.GetCertificate == nil) {
		ln.Close()
		return errors.New("chat: Server.TLS needs a certificate")
	}
	admin, err := net.Listen("unix", s.AdminPath)
	if err != nil {
		ln.Close()
		return fmt.Errorf("chat: admin console: %w", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	h := &hub{users: map[string]*client{}, all: map[*client]bool{}, admins: map[net.Conn]bool{}}
	stop := context.AfterFunc(ctx, func() {
		ln.Close()
		admin.Close()
	})
	defer stop()

	var wg sync.WaitGroup
	wg.Go(func() { s.acceptAdmins(admin, h, cancel, &wg) })
	for {
		c, err := ln.Accept()
		if err != nil {
			if ctx.Err() == nil {
				// A listener that fails on its own ends the server too.
				cancel()
				err = fmt.Errorf("chat: accept on %s: %w", ln.Addr(), err)
			} else {
				err = nil
			}
			h.shutdown()
			wg.Wait()
			return err
		}
		// tls.Server does no I/O yet: the handshake runs in serveClient.
		cl := newClient(tls.Server(c, s.TLS))
		if !h.add(cl) { // shutting down already
			c.Close()
			continue
		}
		wg.Go(cl.writeLoop)
		wg.Go(func() { s.serveClient(ctx, h, cl) })
	}
}

// hub is the shared state: who is connected, by nick and in which room.
type hub struct {
	mu      sync.Mutex
	closing bool
	all     map[*client]bool   // every connection, named or not
	users   map[string]*client // by nick
	admins  map[net.Conn]bool
}

func (h *hub) add(c *client) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closing {
		return false
	}
	h.all[c] = true
	return true
}

// shutdown tells every client and closes every connection.
func (h *hub) shutdown() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closing = true
	for c := range h.all {
		c.send(ShutdownNotice)
		c.stop()
	}
	for a := range h.admins {
		a.Close()
	}
}

func (h *hub) setNick(c *client, nick string) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case !validNick.MatchString(nick):
		return fmt.Sprintf("ERR bad nick %q: 1 to 16 letters, digits, _ or -", nick)
	case c.nick == nick:
		return "OK nick " + nick
	case h.users[nick] != nil:
		return fmt.Sprintf("ERR nick %q is taken", nick)
	}
	if c.nick != "" {
		delete(h.users, c.nick)
		h.toRoom(c.room, nil, fmt.Sprintf("* %s is now %s", c.nick, nick))
	}
	c.nick = nick
	h.users[nick] = c
	return "OK nick " + nick
}

func (h *hub) join(c *client, room string) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !validNick.MatchString(room) {
		return fmt.Sprintf("ERR bad room %q: 1 to 16 letters, digits, _ or -", room)
	}
	if c.room == room {
		return "OK joined " + room
	}
	if c.room != "" {
		h.toRoom(c.room, c, fmt.Sprintf("* %s left %s", c.nick, c.room))
	}
	c.room = room
	h.toRoom(room, c, fmt.Sprintf("* %s joined %s", c.nick, room))
	return "OK joined " + room
}

// say sends text to everyone in c's room, c included, so that every member
// sees the same order of messages.
func (h *hub) say(c *client, text string) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	if c.room == "" {
		return "ERR join a room first"
	}
	h.toRoom(c.room, nil, fmt.Sprintf("%s %s: %s", c.room, c.nick, text))
	return ""
}

func (h *hub) who(c *client) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	if c.room == "" {
		return "ERR join a room first"
	}
	return "OK who " + c.room + " " + strings.Join(h.members(c.room), " ")
}

// remove forgets c after its connection ended.
func (h *hub) remove(c *client) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.all, c)
	if c.nick != "" && h.users[c.nick] == c {
		delete(h.users, c.nick)
	}
	if c.room != "" && !h.closing {
		h.toRoom(c.room, c, fmt.Sprintf("* %s left %s", c.nick, c.room))
	}
}

// toRoom sends line to every member of room but except. The caller holds mu.
func (h *hub) toRoom(room string, except *client, line string) {
	for _, c := range h.users {
		if c.room == room && c != except {
			c.send(line)
		}
	}
}

func (h *hub) members(room string) []string {
	var out []string
	for nick, c := range h.users {
		if c.room == room {
			out = append(out, nick)
		}
	}
	slices.Sort(out)
	return out
}

// client is one chat connection. Lines to it go through out, written by its
// own goroutine, so that a slow reader never holds up the hub.
type client struct {
	conn     net.Conn
	out      chan string
	quit     chan struct{}
	stopOnce sync.Once

	// Guarded by hub.mu.
	nick, room string
}

func newClient(c net.Conn) *client {
	return &client{conn: c, out: make(chan string, QueueLen), quit: make(chan struct{})}
}

// send queues line without blocking; a client whose queue is full is too
// slow to keep up and is dropped.
func (c *client) send(line string) {
	select {
	case <-c.quit:
	case c.out <- line:
	default:
		c.stop()
	}
}

func (c *client) stop() { c.stopOnce.Do(func() { close(c.quit) }) }

func (c *client) writeLoop() {
	w := bufio.NewWriter(c.conn)
	write := func(line string) bool {
		w.WriteString(line)
		w.WriteByte('\n')
		// Flush only when nothing else is queued: one TLS record for a
		// burst of lines.
		if len(c.out) == 0 {
			return w.Flush() == nil
		}
		return true
	}
	defer c.conn.Close()
	for {
		select {
		case line := <-c.out:
			if !write(line) {
				c.stop()
				return
			}
		case <-c.quit:
			// Deliver what is queued (the shutdown notice, a kick reason),
			// but give a client that does not read only a second.
			c.conn.SetWriteDeadline(time.Now().Add(time.Second))
			for {
				select {
				case line := <-c.out:
					if !write(line) {
						return
					}
				default:
					w.Flush()
					return
				}
			}
		}
	}
}

func (s *Server) serveClient(ctx context.Context, h *hub, c *client) {
	defer h.remove(c)
	defer c.stop()
	timeout := s.HandshakeTimeout
	if timeout == 0 {
		timeout = 5 * time.Second
	}
	tc := c.conn.(*tls.Conn)
	hctx, cancel := context.WithTimeout(ctx, timeout)
	err := tc.HandshakeContext(hctx)
	cancel()
	if err != nil {
		return
	}
	c.send("OK welcome; NICK <name> first")
	sc := bufio.NewScanner(tc)
	sc.Buffer(make([]byte, 0, 256), MaxLine+1)
	for sc.Scan() {
		if !s.command(h, c, strings.TrimSuffix(sc.Text(), "\r")) {
			return
		}
	}
	if errors.Is(sc.Err(), bufio.ErrTooLong) {
		c.send(fmt.Sprintf("ERR line longer than %d bytes", MaxLine))
	}
}

// command runs one client line and reports whether to keep reading.
func (s *Server) command(h *hub, c *client, line string) bool {
	verb, arg, _ := strings.Cut(line, " ")
	h.mu.Lock()
	named := c.nick != ""
	h.mu.Unlock()
	if !named && verb != "NICK" && verb != "QUIT" {
		c.send("ERR NICK <name> first")
		return true
	}
	reply := ""
	switch verb {
	case "NICK":
		reply = h.setNick(c, arg)
	case "JOIN":
		reply = h.join(c, arg)
	case "MSG":
		reply = h.say(c, arg)
	case "WHO":
		reply = h.who(c)
	case "QUIT":
		c.send("OK bye")
		return false
	default:
		reply = fmt.Sprintf("ERR unknown command %q", verb)
	}
	if reply != "" {
		c.send(reply)
	}
	return true
}

func (s *Server) acceptAdmins(ln net.Listener, h *hub, shutdown func(), wg *sync.WaitGroup) {
	for {
		a, err := ln.Accept()
		if err != nil {
			return
		}
		h.mu.Lock()
		if h.closing {
			h.mu.Unlock()
			a.Close()
			continue
		}
		h.admins[a] = true
		h.mu.Unlock()
		wg.Go(func() {
			defer func() {
				h.mu.Lock()
				delete(h.admins, a)
				h.mu.Unlock()
				a.Close()
			}()
			sc := bufio.NewScanner(a)
			sc.Buffer(make([]byte, 0, 256), MaxLine+1)
			for sc.Scan() {
				reply, quit := h.admin(sc.Text())
				fmt.Fprintln(a, reply)
				if quit {
					shutdown()
					return
				}
			}
		})
	}
}

// admin runs one console command and reports whether the server must stop.
func (h *hub) admin(line string) (reply string, shutdown bool) {
	verb, arg, _ := strings.Cut(strings.TrimSpace(line), " ")
	h.mu.Lock()
	defer h.mu.Unlock()
	switch verb {
	case "users":
		var nicks []string
		for n := range h.users {
			nicks = append(nicks, n)
		}
		slices.Sort(nicks)
		return strings.TrimSpace("users: " + strings.Join(nicks, " ")), false
	case "rooms":
		counts := map[string]int{}
		for _, c := range h.users {
			if c.room != "" {
				counts[c.room]++
			}
		}
		var rooms []string
		for r, n := range counts {
			rooms = append(rooms, fmt.Sprintf("%s(%d)", r, n))
		}
		slices.Sort(rooms)
		return strings.TrimSpace("rooms: " + strings.Join(rooms, " ")), false
	case "say":
		for _, c := range h.users {
			c.send("* admin: " + arg)
		}
		return "ok", false
	case "kick":
		c := h.users[arg]
		if c == nil {
			return fmt.Sprintf("error: no user %q", arg), false
		}
		c.send("* kicked by admin")
		c.stop()
		return "ok", false
	case "shutdown":
		return "ok", true
	}
	return fmt.Sprintf("error: unknown command %q (users, rooms, say <text>, kick <nick>, shutdown)", verb), false
}
