package sheet

import (
	"crypto/tls"
	"io"
	"net"
)

// TLSEcho wraps each connection ln accepts in a server-side TLS session;
// the handshake runs on the first read.
//
// Calls: tls.Server
// Python: ssl.SSLContext, .load_cert_chain, .wrap_socket
func TLSEcho(ln net.Listener, cert tls.Certificate) error {
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}}
	for {
		conn, err := ln.Accept()
		if err != nil {
			return err
		}
		tc := tls.Server(conn, cfg)
		io.Copy(tc, tc)
		tc.Close()
	}
}
