// Package tlsecho is the echo service of package echo behind TLS, with the
// pieces a reader needs to try it: self-signed certificates made in memory,
// PEM files for the openssl command line, a TLS version policy, and cipher
// suites chosen by their OpenSSL names.
//
// It covers the recipes tls-echo and tls-ciphers.
//
// The cheat sheet builds an ssl.SSLContext, wraps each accepted socket and
// echoes one recv. Here a Server wraps the listener with tls.NewListener,
// serves every client in its own goroutine (package socketserver), bounds
// the handshake with a timeout so a silent or plaintext client cannot hold a
// goroutine, and then streams the echo (package echo). Its lifecycle is
// the one package socketserver describes for every sockbook server.
//
// Two of the cheat sheet's choices do not carry over unchanged:
//
//   - ssl.PROTOCOL_TLSv1 pins TLS 1.0, which RFC 8996 deprecates. Config
//     refuses a minimum below TLS 1.2 unless AllowLegacyTLS10 is set. With
//     it, Go 1.26 does negotiate TLS 1.0 with a client that also enables it;
//     the GODEBUG setting tls10server=1 is not needed, because it only
//     changes the default minimum, not an explicit one.
//   - set_ciphers("ECDH-ECDSA-AES128-GCM-SHA256") names a static-ECDH suite.
//     Go implements no static-ECDH suites, so ParseCiphers maps such names to
//     their ephemeral (ECDHE) counterparts, which use the same certificate
//     and cipher and add forward secrecy. Go does not let TLS 1.3 suites be
//     chosen at all, and tls.Config.CipherSuites alone does not stop TLS
//     1.3: a plain crypto/tls server with the list set still negotiates TLS
//     1.3 with a client that offers it, and ignores the list for it. So that
//     the choice takes effect, Config.TLSConfig also sets MaxVersion to TLS
//     1.2 whenever suites are chosen; the cap is this package's decision,
//     not something CipherSuites does.
package tlsecho
