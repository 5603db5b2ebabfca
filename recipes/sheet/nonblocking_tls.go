package sheet

import (
	"context"
	"crypto/tls"
	"net"

	"github.com/sockbook/sockbook/pkg/selectors"
)

// NonblockingTLS serves TLS echo on non-blocking sockets driven by a
// selector. crypto/tls has no SSLWantReadError; the server keeps each
// socket in the loop and runs each tls.Conn over in-memory buffers.
//
// Calls: selectors.NewPollSelector
// Python: .setblocking, ssl.SSLWantReadError, selectors.DefaultSelector
func NonblockingTLS(ctx context.Context, ln net.Listener, cert tls.Certificate) error {
	srv := selectors.TLSEchoServer{
		TLS: &tls.Config{Certificates: []tls.Certificate{cert}},
		NewSelector: func() (selectors.Selector, error) {
			return selectors.NewPollSelector()
		},
	}
	return srv.Serve(ctx, ln)
}
