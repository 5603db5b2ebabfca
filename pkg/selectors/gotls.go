package selectors

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log"
	"net"
	"sync"
)

// ServeTLS is how Go serves TLS without blocking anyone: a goroutine per
// connection, written as blocking code. The goroutine does not hold a
// thread while it waits: the runtime parks it and its network poller
// (epoll on Linux, kqueue on the BSDs, the same mechanisms as the other
// recipes of this chapter) resumes it when the socket is ready. So the
// handshake, reads and writes of crypto/tls simply block, and no
// want-read/want-write protocol is needed.
//
// ServeTLS echoes on every connection ln accepts until ctx ends; then it
// closes ln and every connection, waits for their goroutines and returns
// nil. logger may be nil.
func ServeTLS(ctx context.Context, ln net.Listener, cfg *tls.Config, logger *log.Logger) error {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		conns = map[net.Conn]bool{}
	)
	stop := context.AfterFunc(ctx, func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for c := range conns {
			c.Close()
		}
	})
	defer stop()
	for {
		c, err := ln.Accept()
		if err != nil {
			wg.Wait()
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		mu.Lock()
		if ctx.Err() != nil { // the closing pass may already have run
			mu.Unlock()
			c.Close()
			continue
		}
		conns[c] = true
		mu.Unlock()
		wg.Go(func() {
			defer func() {
				mu.Lock()
				delete(conns, c)
				mu.Unlock()
			}()
			tc := tls.Server(c, cfg)
			defer tc.Close() // sends close_notify after the client's
			_, err := io.Copy(tc, tc)
			if err != nil && logger != nil && !errors.Is(err, net.ErrClosed) {
				logger.Printf("%s: %v", c.RemoteAddr(), err)
			}
		})
	}
}
