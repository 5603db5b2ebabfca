//go:build solution

package frame

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
)

// WriteFrame writes msg to w, preceded by its length as 4 big-endian bytes.
func WriteFrame(w io.Writer, msg []byte) error {
	if len(msg) > MaxFrame {
		return fmt.Errorf("frame: message of %d bytes exceeds the limit of %d", len(msg), MaxFrame)
	}
	// One buffer, one Write: the prefix and the body leave in the same
	// segment when they fit, instead of a 4-byte packet first.
	buf := make([]byte, 4+len(msg))
	binary.BigEndian.PutUint32(buf, uint32(len(msg)))
	copy(buf[4:], msg)
	_, err := w.Write(buf)
	return err
}

// ReadFrame reads one message written by WriteFrame.
func ReadFrame(r io.Reader) ([]byte, error) {
	var prefix [4]byte
	if _, err := io.ReadFull(r, prefix[:]); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, fmt.Errorf("frame: stream ended inside a length prefix: %w", err)
		}
		return nil, err // io.EOF: the peer finished cleanly
	}
	n := binary.BigEndian.Uint32(prefix[:])
	if n > MaxFrame {
		return nil, fmt.Errorf("frame: announced length %d exceeds the limit of %d", n, MaxFrame)
	}
	msg := make([]byte, n)
	if _, err := io.ReadFull(r, msg); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, fmt.Errorf("frame: stream ended inside a %d-byte message: %w", n, err)
	}
	return msg, nil
}

// Serve echoes every frame of every client until ctx ends.
func Serve(ctx context.Context, ln net.Listener) error {
	var (
		mu    sync.Mutex
		conns = map[net.Conn]struct{}{}
		wg    sync.WaitGroup
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
	defer wg.Wait()

	for {
		c, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("frame: accept on %s: %w", ln.Addr(), err)
		}
		mu.Lock()
		if ctx.Err() != nil { // the AfterFunc already ran; do not leak c
			mu.Unlock()
			c.Close()
			continue
		}
		conns[c] = struct{}{}
		mu.Unlock()
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				mu.Lock()
				delete(conns, c)
				mu.Unlock()
				c.Close()
			}()
			echo(c)
		}()
	}
}

func echo(c net.Conn) {
	r := bufio.NewReader(c)
	for {
		msg, err := ReadFrame(r)
		if err != nil {
			return
		}
		if err := WriteFrame(c, msg); err != nil {
			return
		}
	}
}
