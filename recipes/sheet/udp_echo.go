package sheet

import "net"

// UDPEcho sends every datagram back to where it came from. A datagram
// longer than buf is cut short by the kernel.
//
// Calls: net.ListenPacket
// Python: socket.SOCK_DGRAM, .recvfrom, .sendto
func UDPEcho(addr string) error {
	pc, err := net.ListenPacket("udp", addr)
	if err != nil {
		return err
	}
	defer pc.Close()
	buf := make([]byte, 64<<10)
	for {
		n, from, err := pc.ReadFrom(buf)
		if err != nil {
			return err
		}
		if _, err := pc.WriteTo(buf[:n], from); err != nil {
			return err
		}
	}
}
