package addr_test

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"os"

	"github.com/sockbook/sockbook/pkg/addr"
)

// The host name is the machine's own, so the example prints facts about it
// rather than the name. Names are resolved from /etc/hosts only, so that the
// example sends no DNS query and gives the same answer with no network.
//
// Recipe: hostname
func ExampleLookupIPv4() {
	ctx := context.Background()
	r := addr.HostsOnlyResolver()

	name, err := os.Hostname()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("host name is set:", name != "")

	ip, err := addr.LookupIPv4(ctx, r, "localhost")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("localhost:", ip)
	// Output:
	// host name is set: true
	// localhost: 127.0.0.1
}

// Every case of the cheat sheet's gai.py. Where it looks up www.google.com
// this resolves localhost from /etc/hosts, with no network and so with the
// same answer everywhere; only the IPv4 results are printed because some
// hosts files also map localhost to ::1. The scoped address uses lo, whose
// index is 1 on every Linux system, where the cheat sheet had eth0, whose
// index depends on the machine.
//
// Recipe: getaddrinfo
func ExampleResolve() {
	ctx := context.Background()
	r := addr.HostsOnlyResolver()
	for _, host := range []string{
		"192.0.2.244",
		"2001:db8:f00d::1:d",
		"10.0.0.256",            // octet overflow
		"not-exist.example.com", // unresolvable
		"fe80::1%lo",            // scoped
		"::ffff:192.0.2.128",    // IPv4-mapped
		"0xc000027b",            // IPv4 in hex
		"3221226198",            // IPv4 in decimal
		"localhost",
	} {
		fmt.Printf("$ gai %s\n", host)
		infos, err := addr.Resolve(ctx, r, host)
		if err != nil {
			fmt.Println("Invalid")
			continue
		}
		for _, ai := range infos {
			if host == "localhost" && ai.Family != addr.AFInet {
				continue
			}
			fmt.Println(ai)
		}
	}
	// Output:
	// $ gai 192.0.2.244
	// AF_INET ('192.0.2.244', 0)
	// $ gai 2001:db8:f00d::1:d
	// AF_INET6 ('2001:db8:f00d::1:d', 0, 0, 0)
	// $ gai 10.0.0.256
	// Invalid
	// $ gai not-exist.example.com
	// Invalid
	// $ gai fe80::1%lo
	// AF_INET6 ('fe80::1%lo', 0, 0, 1)
	// $ gai ::ffff:192.0.2.128
	// AF_INET6 ('::ffff:192.0.2.128', 0, 0, 0)
	// $ gai 0xc000027b
	// AF_INET ('192.0.2.123', 0)
	// $ gai 3221226198
	// AF_INET ('192.0.2.214', 0)
	// $ gai localhost
	// AF_INET ('127.0.0.1', 0)
}

// What Htons and Htonl return depends on the CPU, so this example spells out
// both byte orders with encoding/binary; its output is the same on any host.
// Network byte order is big-endian: 1 as a 16-bit port is the bytes 00 01.
// A little-endian CPU (amd64, arm64) reads those bytes back as 256, which is
// what htons(1) returns there; a big-endian CPU reads 1, so there htons is a
// no-op.
//
// Recipe: byte-order
func ExampleHtons() {
	port := binary.BigEndian.AppendUint16(nil, 1)
	fmt.Printf("1 in network order: % x\n", port)
	fmt.Println("htons(1), little-endian host:", binary.LittleEndian.Uint16(port))
	fmt.Println("htons(1), big-endian host:", binary.BigEndian.Uint16(port))

	word := binary.BigEndian.AppendUint32(nil, 1)
	fmt.Printf("1 in network order: % x\n", word)
	fmt.Println("htonl(1), little-endian host:", binary.LittleEndian.Uint32(word))
	fmt.Println("htonl(1), big-endian host:", binary.BigEndian.Uint32(word))

	// Whatever the host, converting there and back is the identity.
	fmt.Println("ntohs(htons(1)):", addr.Ntohs(addr.Htons(1)))
	fmt.Println("ntohl(htonl(1)):", addr.Ntohl(addr.Htonl(1)))
	// Output:
	// 1 in network order: 00 01
	// htons(1), little-endian host: 256
	// htons(1), big-endian host: 1
	// 1 in network order: 00 00 00 01
	// htonl(1), little-endian host: 16777216
	// htonl(1), big-endian host: 1
	// ntohs(htons(1)): 1
	// ntohl(htonl(1)): 1
}

// The packed form is what a sockaddr_in holds. InetAton accepts the legacy
// forms too, and, like the C function, ignores text after a space;
// InetAtonExact, what getaddrinfo uses, does not.
//
// Recipe: inet-aton
func ExampleInetAton() {
	b, err := addr.InetAton("127.0.0.1")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%q\n", b[:])
	fmt.Println(addr.InetNtoa(b))

	for _, s := range []string{"127.1", "0x7f.1", "2130706433", "127.0.0.1 localhost"} {
		b, err := addr.InetAton(s)
		fmt.Println(addr.InetNtoa(b), err)
	}
	_, err = addr.InetAtonExact("127.0.0.1 localhost")
	fmt.Println(err)
	_, err = addr.InetAton("10.0.0.256")
	fmt.Println(err)
	// Output:
	// "\x7f\x00\x00\x01"
	// 127.0.0.1
	// 127.0.0.1 <nil>
	// 127.0.0.1 <nil>
	// 127.0.0.1 <nil>
	// 127.0.0.1 <nil>
	// addr: inet_aton "127.0.0.1 localhost": trailing text " localhost" after the address
	// addr: inet_aton "10.0.0.256": part 4 (256) is greater than 255, the most its 8 bits can hold
}

// A MAC address is six bytes; its text is those bytes in hex. ParseMAC takes
// the usual separated forms and the bare hex that hex.EncodeToString gives.
//
// Recipe: mac-address
func ExampleParseMAC() {
	mac, err := addr.ParseMAC("00:11:32:3c:c3:0b")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%q\n", []byte(mac))
	fmt.Println(hex.EncodeToString(mac))

	mac, err = addr.ParseMAC("0011323cc30b")
	fmt.Println(mac, err)

	_, err = addr.ParseMAC("00:11:32:3c:c3")
	fmt.Println(err)
	// Output:
	// "\x00\x112<\xc3\v"
	// 0011323cc30b
	// 00:11:32:3c:c3:0b <nil>
	// addr: MAC address "00:11:32:3c:c3": want 6, 8 or 20 hex byte pairs, bare or separated by ':' or '-', or 4-digit groups separated by '.'
}
