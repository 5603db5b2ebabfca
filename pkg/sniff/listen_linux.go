package sniff

import (
	"encoding/binary"
	"fmt"
	"net"
	"os"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// ListenIP opens an AF_INET raw socket that receives every incoming IPv4
// packet whose Protocol field is protocol (such as unix.IPPROTO_ICMP or
// unix.IPPROTO_TCP), IP header included. If filter is not nil, the kernel
// runs it on each packet, starting at the IP header, and queues only those
// it keeps. It needs root or CAP_NET_RAW; without, the error matches
// os.ErrPermission.
func ListenIP(protocol int, filter []bpf.Instruction) (*Sniffer, error) {
	// 0 and IPPROTO_RAW (255) are valid for sending only: they never
	// receive.
	if protocol <= 0 || protocol >= unix.IPPROTO_RAW {
		return nil, fmt.Errorf("sniff: IP protocol %d out of range 1..254", protocol)
	}
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_RAW|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, protocol)
	if err != nil {
		return nil, fmt.Errorf("sniff: raw IP socket for protocol %d: %w", protocol, os.NewSyscallError("socket", err))
	}
	if filter != nil {
		// The socket receives from the moment it exists, so packets queued
		// before the filter was attached never met it. Shut the door with a
		// drop-everything program, empty the queue, then attach filter.
		if err := attachFilter(fd, []bpf.Instruction{bpf.RetConstant{Val: 0}}); err != nil {
			unix.Close(fd)
			return nil, err
		}
		drain(fd)
		if err := attachFilter(fd, filter); err != nil {
			unix.Close(fd)
			return nil, err
		}
	}
	return newSniffer(fd, fmt.Sprintf("ip4:%d", protocol))
}

// ListenLink opens an AF_PACKET raw socket that receives whole link-layer
// frames (for Ethernet: from the destination address on) whose EtherType is
// etherType, received on the interface named ifname, or on every interface
// if ifname is "". The etherType unix.ETH_P_ALL receives every frame, and
// unlike a single EtherType also the frames this host sends. If filter is not nil, the kernel runs it on each frame, starting
// at the link-layer header, and queues only those it keeps. It needs root
// or CAP_NET_RAW; without, the error matches os.ErrPermission.
//
// The socket belongs to the network namespace of the calling thread.
func ListenLink(ifname string, etherType uint16, filter []bpf.Instruction) (*Sniffer, error) {
	ifindex := 0
	if ifname != "" {
		ifi, err := net.InterfaceByName(ifname)
		if err != nil {
			return nil, fmt.Errorf("sniff: interface %q: %w", ifname, err)
		}
		ifindex = ifi.Index
	}
	// Protocol 0 receives nothing until bind names one, so the filter is in
	// place before the first frame arrives.
	fd, err := unix.Socket(unix.AF_PACKET, unix.SOCK_RAW|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("sniff: packet socket: %w", os.NewSyscallError("socket", err))
	}
	if filter != nil {
		if err := attachFilter(fd, filter); err != nil {
			unix.Close(fd)
			return nil, err
		}
	}
	sa := &unix.SockaddrLinklayer{Protocol: htons(etherType), Ifindex: ifindex}
	if err := unix.Bind(fd, sa); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("sniff: bind to interface %q, EtherType %#04x: %w", ifname, etherType, os.NewSyscallError("bind", err))
	}
	return newSniffer(fd, fmt.Sprintf("packet:%#04x", etherType))
}

// newSniffer hands the non-blocking fd to the runtime's network poller, so
// that reads park the goroutine instead of a thread and can be woken by a
// deadline.
func newSniffer(fd int, name string) (*Sniffer, error) {
	f := os.NewFile(uintptr(fd), name)
	rc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("sniff: %s: %w", name, err)
	}
	return &Sniffer{f: f, rc: rc}, nil
}

// drain discards every packet queued on the non-blocking socket fd.
func drain(fd int) {
	var b [1]byte
	for {
		// Reading one byte of a raw packet discards the whole packet.
		if _, _, err := unix.Recvfrom(fd, b[:], 0); err != nil && err != unix.EINTR {
			return
		}
	}
}

// htons converts a 16-bit value from host to network byte order, the order
// AF_PACKET wants its protocol number in.
func htons(v uint16) uint16 {
	var b [2]byte
	binary.BigEndian.PutUint16(b[:], v)
	return binary.NativeEndian.Uint16(b[:])
}

// attachFilter assembles prog and attaches it to the socket fd.
func attachFilter(fd int, prog []bpf.Instruction) error {
	raw, err := bpf.Assemble(prog)
	if err != nil {
		return fmt.Errorf("sniff: filter: %w", err)
	}
	if len(raw) == 0 || len(raw) > bpfMaxInstructions {
		return fmt.Errorf("sniff: filter: %d instructions, want 1 to %d", len(raw), bpfMaxInstructions)
	}
	ins := make([]unix.SockFilter, len(raw))
	for i, r := range raw {
		ins[i] = unix.SockFilter{Code: r.Op, Jt: r.Jt, Jf: r.Jf, K: r.K}
	}
	prog2 := unix.SockFprog{Len: uint16(len(ins)), Filter: &ins[0]}
	if err := unix.SetsockoptSockFprog(fd, unix.SOL_SOCKET, unix.SO_ATTACH_FILTER, &prog2); err != nil {
		return fmt.Errorf("sniff: attach %d-instruction filter: %w", len(ins), os.NewSyscallError("setsockopt", err))
	}
	return nil
}

// bpfMaxInstructions is the kernel's limit on a classic BPF program
// (BPF_MAXINSNS).
const bpfMaxInstructions = 4096
