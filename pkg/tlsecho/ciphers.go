package tlsecho

import (
	"crypto/tls"
	"fmt"
	"slices"
	"strings"
)

// A SuiteID is a TLS cipher suite's number in the IANA registry. It prints,
// and encodes to JSON, in hex, the way the registry writes it: 0xc02b.
type SuiteID uint16

// String returns id in hex, such as "0xc02b".
func (id SuiteID) String() string { return fmt.Sprintf("0x%04x", uint16(id)) }

// MarshalText encodes id as String does.
func (id SuiteID) MarshalText() ([]byte, error) { return []byte(id.String()), nil }

// OpenSSLName returns the name OpenSSL (and so Python's ssl module) uses for
// the cipher suite id, such as "ECDHE-ECDSA-AES128-GCM-SHA256" for
// tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256. It reports false for a suite
// Go does not implement. OpenSSL calls TLS 1.3 suites by their IANA names,
// which are also Go's.
func OpenSSLName(id uint16) (string, bool) {
	switch id {
	case tls.TLS_AES_128_GCM_SHA256, tls.TLS_AES_256_GCM_SHA384, tls.TLS_CHACHA20_POLY1305_SHA256:
		return tls.CipherSuiteName(id), true
	case tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA:
		return "ECDHE-ECDSA-AES128-SHA", true
	case tls.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA:
		return "ECDHE-ECDSA-AES256-SHA", true
	case tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA:
		return "ECDHE-RSA-AES128-SHA", true
	case tls.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA:
		return "ECDHE-RSA-AES256-SHA", true
	case tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256:
		return "ECDHE-ECDSA-AES128-GCM-SHA256", true
	case tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384:
		return "ECDHE-ECDSA-AES256-GCM-SHA384", true
	case tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256:
		return "ECDHE-RSA-AES128-GCM-SHA256", true
	case tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384:
		return "ECDHE-RSA-AES256-GCM-SHA384", true
	case tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256:
		return "ECDHE-RSA-CHACHA20-POLY1305", true
	case tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256:
		return "ECDHE-ECDSA-CHACHA20-POLY1305", true
	case tls.TLS_RSA_WITH_RC4_128_SHA:
		return "RC4-SHA", true
	case tls.TLS_RSA_WITH_3DES_EDE_CBC_SHA:
		return "DES-CBC3-SHA", true
	case tls.TLS_RSA_WITH_AES_128_CBC_SHA:
		return "AES128-SHA", true
	case tls.TLS_RSA_WITH_AES_256_CBC_SHA:
		return "AES256-SHA", true
	case tls.TLS_RSA_WITH_AES_128_CBC_SHA256:
		return "AES128-SHA256", true
	case tls.TLS_RSA_WITH_AES_128_GCM_SHA256:
		return "AES128-GCM-SHA256", true
	case tls.TLS_RSA_WITH_AES_256_GCM_SHA384:
		return "AES256-GCM-SHA384", true
	case tls.TLS_ECDHE_ECDSA_WITH_RC4_128_SHA:
		return "ECDHE-ECDSA-RC4-SHA", true
	case tls.TLS_ECDHE_RSA_WITH_RC4_128_SHA:
		return "ECDHE-RSA-RC4-SHA", true
	case tls.TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA:
		return "ECDHE-RSA-DES-CBC3-SHA", true
	case tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256:
		return "ECDHE-ECDSA-AES128-SHA256", true
	case tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256:
		return "ECDHE-RSA-AES128-SHA256", true
	}
	return "", false
}

// ephemeralEquivalent maps OpenSSL's names of static-ECDH suites, whose
// server key is a long-term ECDH key in an ECDSA certificate, to the ECDHE
// suite with the same certificate type, cipher and MAC. Go implements no
// static-ECDH suites.
func ephemeralEquivalent(name string) (string, bool) {
	switch name {
	case "ECDH-ECDSA-AES128-GCM-SHA256":
		return "ECDHE-ECDSA-AES128-GCM-SHA256", true
	case "ECDH-ECDSA-AES256-GCM-SHA384":
		return "ECDHE-ECDSA-AES256-GCM-SHA384", true
	case "ECDH-ECDSA-AES128-SHA":
		return "ECDHE-ECDSA-AES128-SHA", true
	case "ECDH-ECDSA-AES256-SHA":
		return "ECDHE-ECDSA-AES256-SHA", true
	}
	return "", false
}

// ParseCiphers turns a cipher list in the form of Python's set_ciphers and
// openssl -cipher, names separated by colons (commas and spaces also
// work), into suite IDs for tls.Config.CipherSuites, in the order given.
// A name may be OpenSSL's ("ECDHE-ECDSA-AES128-GCM-SHA256") or Go's
// ("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256").
//
// OpenSSL's static-ECDH names ("ECDH-ECDSA-AES128-GCM-SHA256") select the
// ECDHE suite with the same certificate type and cipher, since Go has no
// static-ECDH suites. Rules such as "HIGH:!aNULL" are not understood. TLS
// 1.3 suite names are refused because Go offers no way to choose them, and
// suites that tls.InsecureCipherSuites lists are refused as insecure. Each
// error names the offending entry.
func ParseCiphers(list string) ([]uint16, error) {
	names := strings.FieldsFunc(list, func(r rune) bool { return r == ':' || r == ',' || r == ' ' })
	if len(names) == 0 {
		return nil, fmt.Errorf("tlsecho: cipher list %q names no cipher", list)
	}
	var ids []uint16
	for _, name := range names {
		id, err := parseCipher(name)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

func parseCipher(name string) (uint16, error) {
	lookup := name
	if e, ok := ephemeralEquivalent(name); ok {
		lookup = e
	}
	for _, s := range tls.CipherSuites() {
		if osl, _ := OpenSSLName(s.ID); lookup != osl && lookup != s.Name {
			continue
		}
		if slices.Contains(s.SupportedVersions, tls.VersionTLS13) {
			return 0, fmt.Errorf("tlsecho: cipher %q: TLS 1.3 suites cannot be chosen in Go; they are always enabled when TLS 1.3 is", name)
		}
		return s.ID, nil
	}
	for _, s := range tls.InsecureCipherSuites() {
		if osl, _ := OpenSSLName(s.ID); lookup == osl || lookup == s.Name {
			return 0, fmt.Errorf("tlsecho: cipher %q: refused as insecure (it is in tls.InsecureCipherSuites)", name)
		}
	}
	var known []string
	for _, s := range tls.CipherSuites() {
		if osl, _ := OpenSSLName(s.ID); !slices.Contains(s.SupportedVersions, tls.VersionTLS13) {
			known = append(known, osl)
		}
	}
	return 0, fmt.Errorf("tlsecho: cipher %q: unknown cipher suite name; known: %s", name, strings.Join(known, ":"))
}

// A Cipher describes one enabled cipher suite, in the spirit of an entry
// of Python's SSLContext.get_ciphers(). Encoded with encoding/json, its
// fields are named as Python names them where Python has the field.
type Cipher struct {
	ID     SuiteID `json:"id"`      // IANA number; Python adds 0x03000000
	Name   string  `json:"name"`    // OpenSSL's name
	GoName string  `json:"go_name"` // Go's name, as tls.CipherSuiteName
	// Protocols are the versions the suite is enabled for, such as
	// "TLS 1.2": those it supports within the configuration's range.
	Protocols []string `json:"protocols"`
	// Description is OpenSSL's one-line summary: name, lowest protocol,
	// key exchange, authentication, encryption and MAC.
	Description  string `json:"description"`
	KeyExchange  string `json:"kea"`           // "ECDH", "RSA", or "any" for TLS 1.3
	Auth         string `json:"auth"`          // "ECDSA", "RSA", or "any" for TLS 1.3
	Encryption   string `json:"symmetric"`     // "AESGCM(128)", "CHACHA20/POLY1305(256)", …
	MAC          string `json:"digest"`        // "AEAD", "SHA1", "SHA256", "SHA384"
	AEAD         bool   `json:"aead"`          // whether the cipher authenticates itself
	StrengthBits int    `json:"strength_bits"` // effective security of the cipher
	AlgBits      int    `json:"alg_bits"`      // key size of the cipher
}

// EnabledCiphers returns the cipher suites a server with cfg accepts, TLS
// 1.3 suites first, then the TLS 1.0–1.2 suites of cfg.CipherSuites in its
// order, or, when it is nil, Go's secure suites (tls.CipherSuites) in ID
// order. Unknown IDs are left out. Suites
// outside cfg's version range are left out. A zero MinVersion counts as
// TLS 1.2 and a zero MaxVersion as TLS 1.3, Go's server defaults.
func EnabledCiphers(cfg *tls.Config) []Cipher {
	lo, hi := uint16(tls.VersionTLS12), uint16(tls.VersionTLS13)
	if cfg.MinVersion != 0 {
		lo = cfg.MinVersion
	}
	if cfg.MaxVersion != 0 {
		hi = cfg.MaxVersion
	}
	var tls13, rest []*tls.CipherSuite
	for _, s := range tls.CipherSuites() {
		if slices.Contains(s.SupportedVersions, tls.VersionTLS13) {
			tls13 = append(tls13, s)
		} else if cfg.CipherSuites == nil {
			rest = append(rest, s)
		}
	}
	// Go ignores TLS 1.3 suites in cfg.CipherSuites: those are always on.
	all := append(tls.CipherSuites(), tls.InsecureCipherSuites()...)
	for _, id := range cfg.CipherSuites {
		i := slices.IndexFunc(all, func(s *tls.CipherSuite) bool { return s.ID == id })
		if i >= 0 && !slices.Contains(all[i].SupportedVersions, tls.VersionTLS13) {
			rest = append(rest, all[i])
		}
	}

	var out []Cipher
	for _, s := range append(tls13, rest...) {
		var protos []string
		for _, v := range s.SupportedVersions {
			if v >= lo && v <= hi {
				protos = append(protos, tls.VersionName(v))
			}
		}
		if len(protos) > 0 {
			c := describe(s)
			c.Protocols = protos
			out = append(out, c)
		}
	}
	return out
}

// describe fills a Cipher from s's metadata. Go's names follow IANA's
// pattern TLS_<kx>_<auth>_WITH_<cipher>_<mac>, or TLS_<cipher>_<hash> for
// TLS 1.3, so the parts are read from the name.
func describe(s *tls.CipherSuite) Cipher {
	c := Cipher{ID: SuiteID(s.ID), GoName: s.Name, KeyExchange: "any", Auth: "any"}
	c.Name, _ = OpenSSLName(s.ID)
	rest := strings.TrimPrefix(s.Name, "TLS_")
	if kxAuth, cipher, ok := strings.Cut(rest, "_WITH_"); ok {
		rest = cipher
		switch kxAuth {
		case "ECDHE_ECDSA":
			c.KeyExchange, c.Auth = "ECDH", "ECDSA"
		case "ECDHE_RSA":
			c.KeyExchange, c.Auth = "ECDH", "RSA"
		default:
			c.KeyExchange, c.Auth = kxAuth, kxAuth
		}
	}
	i := strings.LastIndexByte(rest, '_')
	enc, mac := rest[:i], rest[i+1:]
	if mac == "SHA" {
		mac = "SHA1"
	}
	switch enc {
	case "AES_128_GCM":
		c.Encryption, c.AlgBits, c.AEAD = "AESGCM(128)", 128, true
	case "AES_256_GCM":
		c.Encryption, c.AlgBits, c.AEAD = "AESGCM(256)", 256, true
	case "CHACHA20_POLY1305":
		c.Encryption, c.AlgBits, c.AEAD = "CHACHA20/POLY1305(256)", 256, true
	case "AES_128_CBC":
		c.Encryption, c.AlgBits = "AES(128)", 128
	case "AES_256_CBC":
		c.Encryption, c.AlgBits = "AES(256)", 256
	case "3DES_EDE_CBC":
		c.Encryption, c.AlgBits = "3DES(168)", 168
	case "RC4_128":
		c.Encryption, c.AlgBits = "RC4(128)", 128
	default:
		c.Encryption = enc
	}
	c.StrengthBits = c.AlgBits
	if enc == "3DES_EDE_CBC" {
		// Meet-in-the-middle attacks cut triple DES to 112 bits.
		c.StrengthBits = 112
	}
	c.MAC = mac
	if c.AEAD {
		c.MAC = "AEAD"
	}
	c.Description = fmt.Sprintf("%s %s Kx=%s Au=%s Enc=%s Mac=%s",
		c.Name, openSSLVersion(slices.Min(s.SupportedVersions)), c.KeyExchange, c.Auth, c.Encryption, c.MAC)
	return c
}

// openSSLVersion spells a protocol version as OpenSSL's descriptions do.
func openSSLVersion(v uint16) string {
	switch v {
	case tls.VersionTLS10:
		return "TLSv1"
	case tls.VersionTLS11:
		return "TLSv1.1"
	case tls.VersionTLS12:
		return "TLSv1.2"
	case tls.VersionTLS13:
		return "TLSv1.3"
	}
	return tls.VersionName(v)
}
