package sheet

import (
	"net"
	"time"
)

// UDPSender sends msg to addr n times, every interval. Dialing UDP only
// fixes the peer: nothing is sent until Write, and each Write is one
// datagram.
//
// Calls: net.Dial
// Python: .sendto
func UDPSender(addr string, msg []byte, n int, every time.Duration) error {
	conn, err := net.Dial("udp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	for range n {
		if _, err := conn.Write(msg); err != nil {
			return err
		}
		time.Sleep(every)
	}
	return nil
}
