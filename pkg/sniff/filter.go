package sniff

import "golang.org/x/net/bpf"

// The filters below are classic BPF programs. The kernel runs one on every
// packet the socket would receive; the program's return value is how many
// bytes of the packet to keep, and 0 drops it before it is queued.

// keepAll is the return value that keeps the whole packet.
const keepAll = 0xffff_ffff

// FilterEtherType returns a program for a link-layer ([ListenLink]) socket
// that keeps frames whose Ethernet EtherType is t, such as EtherTypeARP.
func FilterEtherType(t uint16) []bpf.Instruction {
	return []bpf.Instruction{
		bpf.LoadAbsolute{Off: 12, Size: 2}, // EtherType
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: uint32(t), SkipFalse: 1},
		bpf.RetConstant{Val: keepAll},
		bpf.RetConstant{Val: 0},
	}
}

// FilterTCPPort returns a program for an IP-layer ([ListenIP]) TCP socket
// that keeps unfragmented segments from or to port. The TCP header starts
// after the IPv4 header's options, so the program reads IHL first.
func FilterTCPPort(port uint16) []bpf.Instruction {
	return []bpf.Instruction{
		// Only a first fragment holds the TCP header; later ones would make
		// the port loads below read payload.
		bpf.LoadAbsolute{Off: 6, Size: 2},
		bpf.JumpIf{Cond: bpf.JumpBitsSet, Val: 0x1fff, SkipTrue: 6},
		// X = IHL*4, the classic BPF idiom for "skip the IP header".
		bpf.LoadMemShift{Off: 0},
		bpf.LoadIndirect{Off: 0, Size: 2}, // source port
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: uint32(port), SkipTrue: 2},
		bpf.LoadIndirect{Off: 2, Size: 2}, // destination port
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: uint32(port), SkipFalse: 1},
		bpf.RetConstant{Val: keepAll},
		bpf.RetConstant{Val: 0},
	}
}

// FilterICMPEcho returns a program for an IP-layer ([ListenIP]) ICMP socket
// that keeps echo requests and replies (ping) whose identifier is id.
func FilterICMPEcho(id uint16) []bpf.Instruction {
	const (
		echoReply   = 0
		echoRequest = 8
	)
	return []bpf.Instruction{
		bpf.LoadMemShift{Off: 0},          // X = IHL*4
		bpf.LoadIndirect{Off: 0, Size: 1}, // ICMP type
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: echoRequest, SkipTrue: 1},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: echoReply, SkipFalse: 3},
		bpf.LoadIndirect{Off: 4, Size: 2}, // echo identifier
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: uint32(id), SkipFalse: 1},
		bpf.RetConstant{Val: keepAll},
		bpf.RetConstant{Val: 0},
	}
}
