package tlsecho_test

import (
	"crypto/tls"
	"encoding/json"
	"fmt"
	"log"
	"net"
	"os"

	"github.com/sockbook/sockbook/internal/echotest"
	"github.com/sockbook/sockbook/pkg/echo"
	"github.com/sockbook/sockbook/pkg/tlsecho"
)

// serve runs a TLS echo server with cfg on a loopback port and returns its
// address and a function that stops it.
func serve(cfg *tls.Config) (addr string, stop func() error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	return ln.Addr().String(), echotest.Start((&tlsecho.Server{TLS: cfg}).Serve, ln)
}

// sClient plays "openssl s_client": it connects to addr over TLS,
// trusting exactly cert.
func sClient(addr string, cert tls.Certificate) *tls.Conn {
	pool, err := tlsecho.CertPool(cert)
	if err != nil {
		log.Fatal(err)
	}
	conn, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: pool})
	if err != nil {
		log.Fatal(err)
	}
	return conn
}

// say sends line on conn, prints its echo and the TLS version, and hangs
// up.
func say(conn *tls.Conn, line string) {
	got, err := echo.Exchange(conn, []byte(line))
	conn.Close()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("echo: %s", got)
	fmt.Println("version:", tls.VersionName(conn.ConnectionState().Version))
}

// A TLS echo server with a self-signed RSA certificate made in memory
// answers a client that trusts exactly that certificate. Go's defaults
// negotiate TLS 1.3.
//
// Recipe: tls-echo
func ExampleServer() {
	cert, err := tlsecho.NewSelfSigned(tlsecho.RSA2048)
	if err != nil {
		log.Fatal(err)
	}
	cfg, err := (&tlsecho.Config{Certificates: []tls.Certificate{cert}}).TLSConfig()
	if err != nil {
		log.Fatal(err)
	}
	addr, stop := serve(cfg)

	// The certificate names 127.0.0.1 among its addresses, so the client
	// verifies it against the address it dials.
	conn := sClient(addr, cert)
	say(conn, "Hello SSL\n")
	fmt.Println("server stopped:", stop())
	// Output:
	// echo: Hello SSL
	// version: TLS 1.3
	// server stopped: <nil>
}

// The cheat sheet's set_ciphers("ECDH-ECDSA-AES128-GCM-SHA256") selects,
// in Go, its ephemeral counterpart with the same ECDSA certificate and
// cipher. Because Config.TLSConfig sets MaxVersion to TLS 1.2 whenever
// suites are chosen (CipherSuites alone would not stop TLS 1.3), TLS 1.2 is
// what the client, offering Go's defaults, negotiates.
//
// Recipe: tls-ciphers
func ExampleEnabledCiphers() {
	cert, err := tlsecho.NewSelfSigned(tlsecho.ECDSAP256)
	if err != nil {
		log.Fatal(err)
	}
	cfg, err := (&tlsecho.Config{
		Certificates: []tls.Certificate{cert},
		Ciphers:      "ECDH-ECDSA-AES128-GCM-SHA256",
	}).TLSConfig()
	if err != nil {
		log.Fatal(err)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(tlsecho.EnabledCiphers(cfg)); err != nil {
		log.Fatal(err)
	}

	addr, stop := serve(cfg)

	conn := sClient(addr, cert)
	say(conn, "Hello "+tls.CipherSuiteName(conn.ConnectionState().CipherSuite)+"\n")
	fmt.Println("server stopped:", stop())
	// Output:
	// [
	//   {
	//     "id": "0xc02b",
	//     "name": "ECDHE-ECDSA-AES128-GCM-SHA256",
	//     "go_name": "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
	//     "protocols": [
	//       "TLS 1.2"
	//     ],
	//     "description": "ECDHE-ECDSA-AES128-GCM-SHA256 TLSv1.2 Kx=ECDH Au=ECDSA Enc=AESGCM(128) Mac=AEAD",
	//     "kea": "ECDH",
	//     "auth": "ECDSA",
	//     "symmetric": "AESGCM(128)",
	//     "digest": "AEAD",
	//     "aead": true,
	//     "strength_bits": 128,
	//     "alg_bits": 128
	//   }
	// ]
	// echo: Hello TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
	// version: TLS 1.2
	// server stopped: <nil>
}

// ParseCiphers reads OpenSSL's and Go's names, and says why it refuses the
// rest.
func ExampleParseCiphers() {
	ids, err := tlsecho.ParseCiphers("ECDHE-RSA-AES128-GCM-SHA256:TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256")
	fmt.Println(ids, err)
	for _, id := range ids {
		fmt.Println(tlsecho.SuiteID(id), tls.CipherSuiteName(id))
	}
	_, err = tlsecho.ParseCiphers("TLS_AES_128_GCM_SHA256")
	fmt.Println(err)
	_, err = tlsecho.ParseCiphers("DES-CBC3-SHA")
	fmt.Println(err)
	// Output:
	// [49199 52393] <nil>
	// 0xc02f TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
	// 0xcca9 TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256
	// tlsecho: cipher "TLS_AES_128_GCM_SHA256": TLS 1.3 suites cannot be chosen in Go; they are always enabled when TLS 1.3 is
	// tlsecho: cipher "DES-CBC3-SHA": refused as insecure (it is in tls.InsecureCipherSuites)
}
