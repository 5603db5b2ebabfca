package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/sockbook/sockbook/pkg/afalg"
)

// addBackendFlag defines -backend on fs.
func addBackendFlag(fs *flag.FlagSet) *afalg.Backend {
	b := new(afalg.Backend)
	fs.TextVar(b, "backend", afalg.Auto, "who does the cryptography: kernel (AF_ALG), go (crypto/...) or auto (kernel if it can)")
	return b
}

// hexFlag is a flag holding bytes written in hex; by default it holds
// random bytes.
type hexFlag struct {
	name string
	b    []byte
}

// addHexFlag defines a hex flag on fs whose default is n random bytes.
func addHexFlag(fs *flag.FlagSet, name string, n int, usage string) *hexFlag {
	f := &hexFlag{name: name, b: make([]byte, n)}
	rand.Read(f.b)
	fs.Var(f, name, usage+fmt.Sprintf(" in hex (default: %d random bytes)", n))
	return f
}

func (f *hexFlag) String() string {
	if f == nil {
		return ""
	}
	return hex.EncodeToString(f.b)
}

func (f *hexFlag) Set(s string) (err error) {
	f.b, err = hex.DecodeString(s)
	if err != nil {
		return fmt.Errorf("-%s %q: not hex: %w", f.name, s, err)
	}
	return nil
}

// reportBackend prints which backend runs and, after a fallback, why.
func reportBackend(out io.Writer, chosen afalg.Backend, asked afalg.Backend, fallback error) {
	switch {
	case chosen == afalg.Kernel:
		fmt.Fprintln(out, "backend: kernel (AF_ALG)")
	case fallback != nil:
		fmt.Fprintf(out, "backend: go (fallback: %v)\n", fallback)
	default:
		fmt.Fprintf(out, "backend: go (-backend %s)\n", asked)
	}
}

func afalgHashFlags(fs *flag.FlagSet) runFunc {
	alg := fs.String("alg", "sha256", `hash, as the kernel names it: sha256, sha512, sha1, md5, sha3-256, hmac(sha256), ...`)
	keyHex := fs.String("key", "", "key in hex, for keyed hashes such as hmac(sha256)")
	backend := addBackendFlag(fs)
	return func(_ context.Context, args []string, out io.Writer) error {
		if len(args) > 1 {
			return usageError(fs, "afalg-hash: want at most one file, got %d arguments", len(args))
		}
		var key []byte
		if *keyHex != "" {
			var err error
			if key, err = hex.DecodeString(*keyHex); err != nil {
				return fmt.Errorf("-key %q: not hex: %w", *keyHex, err)
			}
		}
		h, err := afalg.NewHash(*backend, *alg, key)
		if err != nil {
			return err
		}
		defer h.Close()
		reportBackend(out, h.Backend(), *backend, h.Fallback())

		var arg string
		if len(args) == 1 {
			arg = args[0]
		}
		digest, label, err := hashArg(h, arg)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "%x  %s\n", digest, label)
		return nil
	}
}

// hashArg hashes what the argument names: the cheat sheet's message when
// it is empty, standard input for "-", and otherwise a file. It returns the
// digest and how to label it.
func hashArg(h *afalg.Hash, arg string) (digest []byte, label string, err error) {
	switch arg {
	case "":
		digest, err = h.Sum([]byte("Python is awesome!"))
		return digest, `"Python is awesome!"`, err
	case "-":
		digest, err = h.SumReader(os.Stdin)
		return digest, "-", err
	}
	f, err := os.Open(arg)
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	digest, err = h.SumReader(f)
	return digest, arg, err
}

func afalgCBCFlags(fs *flag.FlagSet) runFunc {
	key := addHexFlag(fs, "key", 32, "AES key of 16, 24 or 32 bytes")
	iv := addHexFlag(fs, "iv", 16, "16-byte IV")
	msg := fs.String("msg", "Demo AF_ALG", "plaintext")
	backend := addBackendFlag(fs)
	return func(_ context.Context, args []string, out io.Writer) error {
		if len(args) != 0 {
			return usageError(fs, "afalg-aes-cbc: unexpected argument %q", args[0])
		}
		return afalgCBC(*backend, key, iv, *msg, out)
	}
}

// afalgCBC encrypts msg and decrypts it again, printing each step.
func afalgCBC(backend afalg.Backend, key, iv *hexFlag, msg string, out io.Writer) error {
	c, err := afalg.NewCBC(backend, key.b)
	if err != nil {
		return err
	}
	defer c.Close()
	reportBackend(out, c.Backend(), backend, c.Fallback())
	ciphertext, err := c.Encrypt(iv.b, []byte(msg))
	if err != nil {
		return err
	}
	plaintext, err := c.Decrypt(iv.b, ciphertext)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "key: %s\niv: %s\n", key, iv)
	fmt.Fprintf(out, "ciphertext: %x\n", ciphertext)
	fmt.Fprintf(out, "plaintext: %q\n", plaintext)
	return nil
}

// gcmFlags are the flags of the AES-GCM commands.
type gcmFlags struct {
	key, nonce, aad *hexFlag
	tagSize         *int
	backend         *afalg.Backend
}

func addGCMFlags(fs *flag.FlagSet) gcmFlags {
	return gcmFlags{
		key:     addHexFlag(fs, "key", 16, "AES key of 16, 24 or 32 bytes"),
		nonce:   addHexFlag(fs, "nonce", afalg.NonceSize, "12-byte nonce (never reuse one with a key)"),
		aad:     addHexFlag(fs, "aad", 16, "associated data, authenticated but not encrypted,"),
		tagSize: fs.Int("tagsize", 16, "tag length in bytes, 12 to 16"),
		backend: addBackendFlag(fs),
	}
}

// open makes the GCM the flags describe and reports its backend.
func (f gcmFlags) open(out io.Writer) (*afalg.GCM, error) {
	g, err := afalg.NewGCM(*f.backend, f.key.b, *f.tagSize)
	if err != nil {
		return nil, err
	}
	reportBackend(out, g.Backend(), *f.backend, g.Fallback())
	fmt.Fprintf(out, "key: %s\nnonce: %s\naad: %s\n", f.key, f.nonce, f.aad)
	return g, nil
}

func afalgGCMFlags(fs *flag.FlagSet) runFunc {
	f := addGCMFlags(fs)
	msg := fs.String("msg", "Hello AES-GCM", "plaintext")
	return func(_ context.Context, args []string, out io.Writer) error {
		if len(args) != 0 {
			return usageError(fs, "afalg-aes-gcm: unexpected argument %q", args[0])
		}
		return afalgGCM(f, *msg, out)
	}
}

// afalgGCM seals msg and opens it again, printing each step.
func afalgGCM(f gcmFlags, msg string, out io.Writer) error {
	g, err := f.open(out)
	if err != nil {
		return err
	}
	defer g.Close()
	sealed, err := g.Seal(f.nonce.b, []byte(msg), f.aad.b)
	if err != nil {
		return err
	}
	plaintext, err := g.Open(f.nonce.b, sealed, f.aad.b)
	if err != nil {
		return err
	}
	split := len(sealed) - g.TagSize()
	fmt.Fprintf(out, "ciphertext: %x\ntag: %x\n", sealed[:split], sealed[split:])
	fmt.Fprintf(out, "plaintext: %q\n", plaintext)
	return nil
}

func afalgSendfileFlags(fs *flag.FlagSet) runFunc {
	f := addGCMFlags(fs)
	return func(_ context.Context, args []string, out io.Writer) error {
		if len(args) != 1 {
			return usageError(fs, "afalg-gcm-sendfile: want one file to encrypt")
		}
		return afalgSendfile(f, args[0], out)
	}
}

// afalgSendfile seals the file at path and opens the result again, both
// fed to the kernel by sendfile, and checks the round trip.
func afalgSendfile(f gcmFlags, path string, out io.Writer) error {
	plain, err := os.Open(path)
	if err != nil {
		return err
	}
	defer plain.Close()
	g, err := f.open(out)
	if err != nil {
		return err
	}
	defer g.Close()
	sealed, err := g.SealFile(f.nonce.b, plain, f.aad.b)
	if err != nil {
		return err
	}

	// Decrypt from a file too, so that both directions go through sendfile.
	tmp, err := os.CreateTemp("", "afalg-sealed-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	if _, err := tmp.Write(sealed); err != nil {
		return err
	}
	opened, err := g.OpenFile(f.nonce.b, tmp, f.aad.b)
	if err != nil {
		return err
	}
	original, err := io.ReadAll(io.NewSectionReader(plain, 0, 1<<62))
	if err != nil {
		return err
	}
	if !bytes.Equal(opened, original) {
		return fmt.Errorf("afalg-gcm-sendfile: %s: decrypted data differs from the file", path)
	}

	split := len(sealed) - g.TagSize()
	fmt.Fprintf(out, "ciphertext: %x\ntag: %x\n", sealed[:split], sealed[split:])
	if len(opened) <= 256 {
		fmt.Fprintf(out, "plaintext: %q\n", opened)
	} else {
		fmt.Fprintf(out, "plaintext: %d bytes\n", len(opened))
	}
	fmt.Fprintf(out, "round trip: %d bytes match %s\n", len(opened), path)
	return nil
}

func afalgBenchmarkFlags(fs *flag.FlagSet) runFunc {
	n := fs.Int("n", 1000, "messages to seal and open (the cheat sheet used 1000000)")
	size := fs.Int("size", 4096, "bytes per message")
	backend := addBackendFlag(fs)
	return func(ctx context.Context, args []string, out io.Writer) error {
		if len(args) != 0 {
			return usageError(fs, "afalg-benchmark: unexpected argument %q", args[0])
		}
		return afalgBenchmark(ctx, *backend, *n, *size, out)
	}
}

// afalgBenchmark times n seals and opens of size bytes on each backend.
func afalgBenchmark(ctx context.Context, backend afalg.Backend, n, size int, out io.Writer) error {
	c, err := afalg.CompareGCM(ctx, backend, n, size)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "AES-128-GCM, seal then open, %d messages of %d bytes\n", c.Iterations, c.Size)
	row := func(name string, d time.Duration) {
		mbps := float64(c.Iterations) * float64(c.Size) / d.Seconds() / 1e6
		fmt.Fprintf(out, "%-22s %12v  %10.1f MB/s\n", name, d.Round(time.Microsecond), mbps)
	}
	switch {
	case c.Kernel > 0:
		row("kernel (AF_ALG)", c.Kernel)
	case c.KernelErr != nil:
		fmt.Fprintf(out, "%-22s not measured: %v\n", "kernel (AF_ALG)", c.KernelErr)
	}
	if c.Go > 0 {
		row("go (crypto/cipher)", c.Go)
	}
	return nil
}
