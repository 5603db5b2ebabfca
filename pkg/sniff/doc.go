// Package sniff captures packets with raw sockets and decodes their headers
// by hand, one field at a time, with encoding/binary.
//
// It covers the recipes of chapter 09-sniffers:
//
//   - sniff-ip: read ICMP packets from an AF_INET raw socket and print each
//     one's protocol, source and destination ([ListenIP], [ParseIPv4]).
//   - sniff-tcp: read TCP segments from an AF_INET raw socket and print
//     their headers and payload ([ParseTCP], [TCP.Dump]).
//   - sniff-arp: read ARP frames from an AF_PACKET socket and print the
//     Ethernet and ARP headers ([ListenLink], [ParseEthernet], [ParseARP]).
//
// # Capturing
//
// An AF_INET socket of type SOCK_RAW receives a copy of every incoming IPv4
// packet of its protocol, IP header included; IP_HDRINCL only changes what
// the socket sends, so a sniffer does not need it. An AF_PACKET socket sits
// one layer lower and receives whole link-layer frames, Ethernet header
// included: incoming frames of the EtherType it is bound to, or, bound to
// ETH_P_ALL, every frame in both directions. Both need root or CAP_NET_RAW.
//
// A [Sniffer] may carry a classic BPF program (see [FilterICMPEcho],
// [FilterTCPPort], [FilterEtherType]) that the kernel runs on every packet
// before queueing it, so uninteresting traffic never reaches user space.
//
// Capturing needs Linux, for AF_PACKET and for SO_ATTACH_FILTER. Elsewhere
// [ListenIP] and [ListenLink] return an error matching
// errors.ErrUnsupported, while the decoders work on any system.
//
// # Decoding
//
// The decoders check every length before they read, so truncated or
// malformed input yields an error that says what is wrong, such as
// "ipv4: header length 4 words < 5", never a panic. Decoded byte slices
// (payloads, options, addresses) alias the input.
//
// Each ParseXxx function returns a new value per packet. A capture loop
// that keeps one value per header and calls its Decode method instead
// ([IPv4.Decode], [TCP.Decode], [Ethernet.Decode], [ARP.Decode]) allocates
// nothing per packet once the option slices have grown.
//
// The headers, as the decoders read them (bit 0 is the most significant
// bit of the first byte; one row is 32 bits):
//
// IPv4 (RFC 791), decoded into [IPv4]:
//
//	 0                   1                   2                   3
//	 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|Version|  IHL  |      TOS      |          TotalLength          |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|              ID               |Flags|      FragOffset         |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|      TTL      |   Protocol    |           Checksum            |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|                              Src                              |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|                              Dst                              |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|          Options (IHL*4 - 20 bytes, 0 to 40)  |    Padding    |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// TCP (RFC 9293, which updates RFC 793's flag bits), decoded into [TCP]:
//
//	 0                   1                   2                   3
//	 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|           SrcPort             |           DstPort             |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|                              Seq                              |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|                              Ack                              |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|  Data |       |C|E|U|A|P|R|S|F|                               |
//	| Offset|Reservd|W|C|R|C|S|S|Y|I|            Window             |
//	|       |       |R|E|G|K|H|T|N|N|                               |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|           Checksum            |            Urgent             |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|     Options (DataOffset*4 - 20 bytes, 0 to 40)    |  Padding  |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|                            Payload                            |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Ethernet II, decoded into [Ethernet], carries the ARP packet:
//
//	+-----------------+-----------------+-----------+---------------
//	| Dst (6 bytes)   | Src (6 bytes)   | EtherType | Payload ...
//	+-----------------+-----------------+-----------+---------------
//
// ARP (RFC 826), decoded into [ARP]; the rows are 32 bits wide for
// Ethernet and IPv4 addresses (HardwareLen 6, ProtocolLen 4), other
// address sizes shift the fields after Op:
//
//	 0                   1                   2                   3
//	 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|         HardwareType          |         ProtocolType          |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|  HardwareLen  |  ProtocolLen  |              Op               |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|                SenderHardwareAddr (bytes 0-3)                 |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	| SenderHardwareAddr (4-5)      | SenderProtocolAddr (0-1)      |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	| SenderProtocolAddr (2-3)      | TargetHardwareAddr (0-1)      |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|                TargetHardwareAddr (bytes 2-5)                 |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|                      TargetProtocolAddr                       |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
package sniff
