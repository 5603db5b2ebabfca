package sheet

import "crypto/tls"

// TLSCiphers limits a TLS 1.2 server to one suite, as set_ciphers does,
// and names the suites it enabled. TLS 1.3's suites are not chosen in
// Go: they are all on, ordered by the hardware.
//
// Calls: tls.CipherSuiteName
// Python: .set_ciphers, .get_ciphers
func TLSCiphers(cert tls.Certificate) (*tls.Config, []string) {
	cfg := &tls.Config{
		Certificates: []tls.Certificate{cert},
		MinVersion:   tls.VersionTLS12,
		MaxVersion:   tls.VersionTLS12,
		CipherSuites: []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256},
	}
	var names []string
	for _, id := range cfg.CipherSuites {
		names = append(names, tls.CipherSuiteName(id))
	}
	return cfg, names
}
