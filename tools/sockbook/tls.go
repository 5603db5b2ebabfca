package main

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/sockbook/sockbook/pkg/echo"
	"github.com/sockbook/sockbook/pkg/tlsecho"
)

// tlsFlags are the flags both TLS recipes share.
type tlsFlags struct {
	addr                      *string
	certFile, keyFile, pemDir string
	minVersion                string
	allowTLS10                bool
	idle                      time.Duration
}

func (f *tlsFlags) register(fs *flag.FlagSet) {
	f.addr = listenFlag(fs, "localhost:5566")
	fs.StringVar(&f.certFile, "cert", "", "PEM certificate file (with -key); default: a self-signed one made in memory")
	fs.StringVar(&f.keyFile, "key", "", "PEM private key file (with -cert)")
	fs.StringVar(&f.pemDir, "write-pem", "", "write the self-signed certificate and key to `dir`/cert.pem and key.pem")
	fs.StringVar(&f.minVersion, "min-version", "1.2", "lowest TLS `version` accepted: 1.0, 1.1, 1.2 or 1.3")
	fs.BoolVar(&f.allowTLS10, "allow-tls10", false, "allow -min-version 1.0 or 1.1 (deprecated by RFC 8996; the cheat sheet's PROTOCOL_TLSv1)")
	fs.DurationVar(&f.idle, "idle", time.Minute, "close connections idle this long (0: never)")
}

func tlsEchoFlags(fs *flag.FlagSet) runFunc {
	var f tlsFlags
	f.register(fs)
	return func(ctx context.Context, _ []string, out io.Writer) error {
		return serveTLS(ctx, out, &f, tlsecho.RSA2048, "", false, false)
	}
}

func tlsCiphersFlags(fs *flag.FlagSet) runFunc {
	var f tlsFlags
	f.register(fs)
	ciphers := fs.String("ciphers", "ECDH-ECDSA-AES128-GCM-SHA256", "colon-separated cipher suites, OpenSSL or Go names (static ECDH names map to ECDHE)")
	list := fs.Bool("list", false, "print the enabled cipher suites as JSON and exit without listening")
	return func(ctx context.Context, _ []string, out io.Writer) error {
		return serveTLS(ctx, out, &f, tlsecho.ECDSAP256, *ciphers, true, *list)
	}
}

// serveTLS runs a TLS echo server as the flags say, with a self-signed
// certificate of type kt unless given one. showCiphers prints the enabled
// suites after the listening line; listOnly prints them and returns.
func serveTLS(ctx context.Context, out io.Writer, f *tlsFlags, kt tlsecho.KeyType, ciphers string, showCiphers, listOnly bool) error {
	if (f.certFile == "") != (f.keyFile == "") {
		return errors.New("-cert and -key go together")
	}
	if f.certFile != "" && f.pemDir != "" {
		return errors.New("-write-pem saves a generated certificate; it cannot be used with -cert/-key")
	}
	minV, err := tlsecho.ParseVersion(f.minVersion)
	if err != nil {
		return fmt.Errorf("-min-version: %w", err)
	}

	var cert tls.Certificate
	generated := f.certFile == ""
	if generated {
		cert, err = tlsecho.NewSelfSigned(kt)
	} else {
		cert, err = tls.LoadX509KeyPair(f.certFile, f.keyFile)
	}
	if err != nil {
		return err
	}
	cfg, err := (&tlsecho.Config{
		Certificates:     []tls.Certificate{cert},
		MinVersion:       minV,
		AllowLegacyTLS10: f.allowTLS10,
		Ciphers:          ciphers,
	}).TLSConfig()
	if err != nil {
		return err
	}
	if listOnly {
		return printCiphers(out, cfg)
	}
	var certPath string
	if f.pemDir != "" {
		if certPath, _, err = tlsecho.WritePEM(f.pemDir, cert); err != nil {
			return err
		}
	}

	ln, err := listen(ctx, "tcp", *f.addr)
	if err != nil {
		return err
	}
	announce(out, ln.Addr())
	describeCert(out, cert, generated, certPath, f.certFile, ln.Addr().String())
	if showCiphers {
		if err := printCiphers(out, cfg); err != nil {
			ln.Close()
			return err
		}
	}

	log := slog.New(slog.NewTextHandler(out, nil))
	srv := &tlsecho.Server{
		TLS:    cfg,
		Echo:   echo.Handler{IdleTimeout: f.idle, Logger: log},
		Logger: log,
	}
	return srv.Serve(ctx, ln)
}

// describeCert tells the user what certificate is served and how a client
// can trust it.
func describeCert(out io.Writer, cert tls.Certificate, generated bool, writtenTo, loadedFrom, addr string) {
	leaf := cert.Leaf
	if leaf == nil {
		return
	}
	fp := sha256.Sum256(leaf.Raw)
	names := append(append([]string{}, leaf.DNSNames...), ipStrings(leaf.IPAddresses)...)
	kind := "certificate from " + loadedFrom
	if generated {
		kind = "self-signed certificate made in memory"
	}
	fmt.Fprintf(out, "%s for %s, SHA-256 fingerprint %X\n", kind, strings.Join(names, ", "), fp)
	switch {
	case writtenTo != "":
		fmt.Fprintf(out, "wrote it to %s; trust it with: openssl s_client -connect %s -CAfile %s\n", writtenTo, addr, writtenTo)
	case generated:
		fmt.Fprintln(out, "it is not saved anywhere: rerun with -write-pem DIR to give clients a file to trust (-CAfile DIR/cert.pem)")
	}
}

func ipStrings(ips []net.IP) []string {
	var s []string
	for _, ip := range ips {
		s = append(s, ip.String())
	}
	return s
}

func printCiphers(out io.Writer, cfg *tls.Config) error {
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(tlsecho.EnabledCiphers(cfg))
}
