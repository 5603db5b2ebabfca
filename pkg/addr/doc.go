// Package addr converts between the forms an Internet address takes in a
// program: host names, text, packed bytes and integers in either byte order.
// It covers the recipes of chapter 01-addresses:
//
//   - hostname: the machine's host name and the IPv4 address of a name
//     ([LookupIPv4], [HostsOnlyResolver]);
//   - getaddrinfo: address family and socket address from a string, numeric
//     or a name ([ParseNumericHost], [Resolve], [AddrInfo]);
//   - byte-order: host and network byte order ([Htons], [Htonl], [Ntohs],
//     [Ntohl], [HostByteOrder]);
//   - inet-aton: dotted-quad text and the 4-byte packed form ([InetAton],
//     [InetAtonExact], [InetNtoa]);
//   - mac-address: MAC address text, bytes and hex ([ParseMAC]).
//
// Go's own parsers (net.ParseIP, net/netip and the pure-Go resolver) accept
// only the strict dotted-decimal IPv4 form. The C library, and every program
// built on it, also accepts the older inet_aton forms: fewer than four parts,
// hexadecimal and octal parts, and a single 32-bit number. This package parses
// those forms exactly as glibc does, so that a Go program reads an address
// given on a command line or in a configuration file the way the C tools
// beside it do.
package addr
