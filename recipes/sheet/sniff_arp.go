//go:build linux

package sheet

import (
	"github.com/sockbook/sockbook/pkg/addr"
	"github.com/sockbook/sockbook/pkg/sniff"
	"golang.org/x/sys/unix"
)

// SniffARP reads one ARP frame from a packet socket, which sees whole
// Ethernet frames of every interface; the protocol argument is the
// EtherType to receive, in network byte order.
//
// Calls: unix.Socket, unix.Read, sniff.ParseEthernet, sniff.ParseARP
// Python: socket.AF_PACKET, socket.htons
func SniffARP() (*sniff.ARP, error) {
	fd, err := unix.Socket(unix.AF_PACKET, unix.SOCK_RAW, int(addr.Htons(unix.ETH_P_ARP)))
	if err != nil {
		return nil, err
	}
	defer unix.Close(fd)
	buf := make([]byte, 2048)
	n, err := unix.Read(fd, buf)
	if err != nil {
		return nil, err
	}
	eth, err := sniff.ParseEthernet(buf[:n])
	if err != nil {
		return nil, err
	}
	return sniff.ParseARP(eth.Payload)
}
