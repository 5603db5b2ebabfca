package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// A Load describes the traffic the load generator offers an echo server.
type Load struct {
	Addr     string        // the server, host:port on loopback
	Conns    int           // connections, each with one echo in flight at a time
	Size     int           // bytes per message
	Rate     float64       // echoes per second over all connections; 0 runs closed loop
	Duration time.Duration // how long to measure
	TLS      *tls.Config   // non-nil for servers that speak TLS
}

// LoadResult is what a Load measured. Latency is from when an echo was due
// to when its last byte came back, so in paced mode a server that falls
// behind is charged for the wait too (no coordinated omission).
type LoadResult struct {
	Echoes  int64         `json:"echoes"`
	Errors  int64         `json:"errors"`
	Elapsed time.Duration `json:"elapsed_ns"`
	P50     time.Duration `json:"p50_ns"`
	P99     time.Duration `json:"p99_ns"`
	Err     string        `json:"first_error,omitempty"`
}

// PerSecond returns the echoes completed per second.
func (r LoadResult) PerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Echoes) / r.Elapsed.Seconds()
}

// dialEcho connects to addr from the loopback source address src (nil
// lets the kernel choose) and, for a TLS server, completes the handshake.
func dialEcho(ctx context.Context, addr string, src net.IP, cfg *tls.Config) (net.Conn, error) {
	d := net.Dialer{Timeout: 10 * time.Second}
	if src != nil {
		d.LocalAddr = &net.TCPAddr{IP: src}
	}
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	if cfg == nil {
		return c, nil
	}
	tc := tls.Client(c, cfg)
	if err := tc.HandshakeContext(ctx); err != nil {
		c.Close()
		return nil, fmt.Errorf("tls handshake with %s: %w", addr, err)
	}
	return tc, nil
}

// echoOnce sends msg on c and reads the same number of bytes back into
// reply, checking that they are the same.
func echoOnce(c net.Conn, msg, reply []byte) error {
	if _, err := c.Write(msg); err != nil {
		return fmt.Errorf("send %d bytes: %w", len(msg), err)
	}
	if _, err := io.ReadFull(c, reply[:len(msg)]); err != nil {
		return fmt.Errorf("read %d-byte echo: %w", len(msg), err)
	}
	if !bytes.Equal(msg, reply[:len(msg)]) {
		return errors.New("echo differs from what was sent")
	}
	return nil
}

// Run opens the connections, offers the load for l.Duration and closes
// them. A connection that fails stops and is counted; the others go on.
func (l Load) Run(ctx context.Context) (LoadResult, error) {
	conns, err := l.Dial(ctx)
	if err != nil {
		return LoadResult{}, err
	}
	defer closeAll(conns)
	return l.Offer(ctx, conns)
}

// Dial checks l and opens its l.Conns connections, handshaking each for a
// TLS server. Callers that measure the server's CPU around Offer dial
// first, so that the handshakes fall outside their window.
func (l Load) Dial(ctx context.Context) ([]net.Conn, error) {
	if l.Conns < 1 || l.Size < 1 || l.Duration <= 0 || l.Rate < 0 {
		return nil, fmt.Errorf("load: %d connections of %d-byte messages for %v at %v/s: all must be positive", l.Conns, l.Size, l.Duration, l.Rate)
	}
	conns := make([]net.Conn, 0, l.Conns)
	for range l.Conns {
		c, err := dialEcho(ctx, l.Addr, nil, l.TLS)
		if err != nil {
			closeAll(conns)
			return nil, err
		}
		conns = append(conns, c)
	}
	return conns, nil
}

func closeAll(conns []net.Conn) {
	for _, c := range conns {
		c.Close()
	}
}

// Offer offers the load on conns, which Dial opened, for l.Duration. A
// connection that fails stops and is counted; the others go on. The
// caller closes conns.
func (l Load) Offer(ctx context.Context, conns []net.Conn) (LoadResult, error) {
	var (
		res      LoadResult
		mu       sync.Mutex
		hist     histogram
		echoes   atomic.Int64
		wg       sync.WaitGroup
		interval time.Duration // between one connection's echoes when paced
	)
	if l.Rate > 0 {
		interval = time.Duration(float64(l.Conns) / l.Rate * float64(time.Second))
	}
	start := time.Now()
	end := start.Add(l.Duration)
	for i, c := range conns {
		wg.Go(func() {
			var h histogram
			msg := bytes.Repeat([]byte{byte('a' + i%26)}, l.Size)
			reply := make([]byte, l.Size)
			// Stagger the paced connections evenly over one interval so
			// that the offered load is smooth, not a burst per period.
			due := start.Add(interval * time.Duration(i) / time.Duration(l.Conns))
			var err error
			for ctx.Err() == nil {
				if interval > 0 {
					if wait := time.Until(due); wait > 0 {
						time.Sleep(wait)
					}
				} else {
					due = time.Now()
				}
				if !due.Before(end) {
					break
				}
				if err = echoOnce(c, msg, reply); err != nil {
					break
				}
				h.add(time.Since(due))
				echoes.Add(1)
				due = due.Add(interval)
			}
			mu.Lock()
			defer mu.Unlock()
			hist.merge(&h)
			if err != nil {
				res.Errors++
				if res.Err == "" {
					res.Err = err.Error()
				}
			}
		})
	}
	wg.Wait()
	res.Elapsed = min(time.Since(start), l.Duration)
	res.Echoes = echoes.Load()
	res.P50, res.P99 = hist.quantile(0.50), hist.quantile(0.99)
	return res, ctx.Err()
}

// histogram counts durations in buckets 1/32 of a power of two wide, so
// quantiles are exact to about 3% in constant memory however long a run is.
type histogram struct {
	counts [64 + 40*32]int64
	n      int64
}

func bucketOf(d time.Duration) int {
	ns := uint64(max(d, 0))
	if ns < 64 {
		return int(ns)
	}
	e := bits.Len64(ns) - 6 // ns>>e is in [32, 64)
	return min(64+(e-1)*32+int(ns>>e)-32, len(histogram{}.counts)-1)
}

// lowerBound is the shortest duration bucket i holds.
func lowerBound(i int) time.Duration {
	if i < 64 {
		return time.Duration(i)
	}
	e := (i-64)/32 + 1
	return time.Duration(uint64((i-64)%32+32) << e)
}

func (h *histogram) add(d time.Duration) {
	h.counts[bucketOf(d)]++
	h.n++
}

func (h *histogram) merge(o *histogram) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
}

// quantile returns the lower bound of the bucket holding the q-th
// quantile, or 0 for an empty histogram.
func (h *histogram) quantile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := int64(q * float64(h.n-1))
	var seen int64
	for i, c := range h.counts {
		seen += c
		if seen > rank {
			return lowerBound(i)
		}
	}
	return lowerBound(len(h.counts) - 1)
}
