package udp_test

import (
	"context"
	"fmt"
	"log"
	"net"
	"time"

	"github.com/sockbook/sockbook/pkg/udp"
)

// An echo server on a loopback port answers one client, then stops when
// its context is cancelled.
//
// Recipe: udp-echo
func ExampleEchoServer() {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- (&udp.EchoServer{}).Serve(ctx, pc) }()

	c, err := net.Dial("udp", pc.LocalAddr().String())
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Write([]byte("Hello World\n")); err != nil {
		log.Fatal(err)
	}
	buf := make([]byte, 1024)
	n, err := c.Read(buf)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("echo: %s", buf[:n])

	cancel()
	fmt.Println("server stopped:", <-served)
	// Output:
	// echo: Hello World
	// server stopped: <nil>
}

// A sender repeats "Hello\n" to a listener, which plays the part of the
// cheat sheet's nc -lu. Count stops it after three datagrams; without it,
// the sender runs until its context ends.
//
// Recipe: udp-sender
func ExampleSender() {
	listener, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer listener.Close()

	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer pc.Close()
	s := udp.Sender{
		To:       listener.LocalAddr(),
		Payload:  udp.Message([]byte("Hello\n")),
		Interval: 10 * time.Millisecond,
		Count:    3,
	}
	if err := s.Run(context.Background(), pc); err != nil {
		log.Fatal(err)
	}

	printDatagrams(listener, s.Count)
	// Output:
	// Hello
	// Hello
	// Hello
}

// A broadcaster sends timestamps to the loopback network's broadcast
// address, 127.255.255.255, and a listener bound to the wildcard address
// receives them. On a real network the destination would be
// 255.255.255.255, the cheat sheet's '<broadcast>'. The clock is fixed
// here so the output is stable.
//
// Recipe: udp-broadcast
func ExampleListenBroadcast() {
	listener, err := net.ListenPacket("udp4", "0.0.0.0:0")
	if err != nil {
		log.Fatal(err)
	}
	defer listener.Close()
	port := listener.LocalAddr().(*net.UDPAddr).Port

	pc, err := udp.ListenBroadcast(context.Background(), "udp4", ":0")
	if err != nil {
		log.Fatal(err)
	}
	defer pc.Close()
	clock := time.Unix(1431473025, 720_000_000)
	s := udp.Sender{
		To: &net.UDPAddr{IP: net.IPv4(127, 255, 255, 255), Port: port},
		Payload: udp.Timestamp(func() time.Time {
			t := clock
			clock = clock.Add(5 * time.Second)
			return t
		}),
		Interval: 10 * time.Millisecond,
		Count:    2,
	}
	if err := s.Run(context.Background(), pc); err != nil {
		log.Fatal(err)
	}

	printDatagrams(listener, s.Count)
	// Output:
	// 1431473025.72
	// 1431473030.72
}

// printDatagrams prints the next n datagrams pc receives.
func printDatagrams(pc net.PacketConn, n int) {
	buf := make([]byte, 1024)
	for range n {
		m, _, err := pc.ReadFrom(buf)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s", buf[:m])
	}
}
