// Package tcpecho runs TCP echo servers over IPv4, IPv6 and a dual-stack
// socket that accepts both.
//
// It covers the recipes tcp-echo, tcp-echo-ipv6 and dual-stack. The echoing
// itself is package echo's Handler, run by a socketserver.Server (whose
// package doc describes the lifecycle every sockbook server shares); what
// differs between the three recipes is only how the listening socket is
// made, which is the lesson here:
//
//   - tcp-echo listens with network "tcp4": an AF_INET socket.
//   - tcp-echo-ipv6 listens with "tcp6" on [::1]: an AF_INET6 socket.
//   - dual-stack listens with "tcp6" on [::] with IPV6_V6ONLY switched off,
//     so one AF_INET6 socket also accepts IPv4 clients, which then appear
//     as IPv4-mapped addresses such as ::ffff:127.0.0.1.
//
// The Python recipes set SO_REUSEADDR by hand. Go's net package sets it on
// every listening socket on Unix, so a restarted server can bind again
// while old connections linger in TIME_WAIT.
package tcpecho
