package sendfile

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"time"
)

// lingerTimeout bounds how long a client that got its file may take to
// close its end. Until it does, the server keeps the connection open: closing
// a socket with unread incoming bytes sends a reset, and a reset can destroy
// file bytes the client has not read yet.
const lingerTimeout = 5 * time.Second

// A Server sends one file to every client that connects, then closes the
// connection: the client reads until EOF, as the cheat sheet's receiver
// does. Clients are served concurrently, so a client that does not read
// holds up only itself.
type Server struct {
	// Path names the file to serve. It is opened afresh for each client,
	// so each gets the file as it is when it connects.
	Path string
	// Copier says how to send it. CopyFileRange cannot write to a socket.
	Copier Copier
	// Log, if non-nil, is called once per client when it has been served,
	// with what the send took or why it failed. Calls never overlap.
	Log func(client net.Addr, st Stats, err error)

	logMu sync.Mutex
}

// Serve accepts clients on ln until ctx ends, then closes ln, interrupts the
// transfers still running, waits for them and returns nil. It returns an
// error if Path is not a regular file or if accepting fails. Serve closes ln
// in every case.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	defer ln.Close()
	if s.Copier.Method == CopyFileRange {
		return fmt.Errorf("sendfile: serve %q: copy_file_range writes only to regular files, not sockets", s.Path)
	}
	f, err := os.Open(s.Path)
	if err != nil {
		return fmt.Errorf("sendfile: serve: %w", err)
	}
	_, err = regularSize(f)
	f.Close()
	if err != nil {
		return err
	}

	var wg sync.WaitGroup
	defer wg.Wait()
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	defer stop()
	for {
		conn, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("sendfile: accept on %v: %w", ln.Addr(), err)
		}
		wg.Go(func() { s.serveConn(ctx, conn) })
	}
}

// serveConn sends the file to one client and closes the connection.
func (s *Server) serveConn(ctx context.Context, conn net.Conn) {
	defer conn.Close()
	// A deadline in the past wakes every blocked read and write on conn,
	// which is how a shutdown reaches a transfer stuck on a slow client.
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Now()) })
	defer stop()

	st, err := s.send(conn)
	if err == nil {
		err = linger(ctx, conn)
	}
	if s.Log != nil {
		s.logMu.Lock()
		s.Log(conn.RemoteAddr(), st, err)
		s.logMu.Unlock()
	}
}

func (s *Server) send(conn net.Conn) (Stats, error) {
	f, err := os.Open(s.Path)
	if err != nil {
		return Stats{Method: s.Copier.Method}, fmt.Errorf("sendfile: %w", err)
	}
	defer f.Close()
	return s.Copier.Send(conn, f)
}

// linger half-closes conn, so the client sees EOF after the last file byte,
// and waits for the client to close its side, discarding anything it sent.
func linger(ctx context.Context, conn net.Conn) error {
	cw, ok := conn.(interface{ CloseWrite() error })
	if !ok {
		return nil
	}
	if err := cw.CloseWrite(); err != nil {
		return fmt.Errorf("sendfile: close write side to %v: %w", conn.RemoteAddr(), err)
	}
	conn.SetReadDeadline(time.Now().Add(lingerTimeout))
	// A shutdown that came before the line above had its deadline
	// overwritten; one that comes after it sets its own, later.
	if ctx.Err() != nil {
		conn.SetReadDeadline(time.Now())
	}
	// The file is with the kernel by now; how the client leaves (EOF,
	// reset, silence until the deadline) does not change that.
	io.Copy(io.Discard, conn)
	return nil
}
