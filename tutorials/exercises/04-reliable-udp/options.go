// Package reliable sends datagrams over UDP with stop-and-wait: each carries a
// sequence number and is sent again until the receiver acknowledges it.
package reliable

import (
	"errors"
	"time"
)

// ErrNoAck reports that a message was not acknowledged after every retry.
var ErrNoAck = errors.New("no acknowledgement")

// Options tunes Send.
type Options struct {
	Timeout time.Duration // how long to wait for each acknowledgement
	Retries int           // how many times a message is sent again
}
