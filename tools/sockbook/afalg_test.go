package main

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/sockbook/sockbook/pkg/afalg"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// afalgKernelHas reports whether this kernel offers the algorithm over AF_ALG,
// asking the same way the commands do.
func afalgKernelHas(t *testing.T, typ string) bool {
	t.Helper()
	var c interface{ Close() error }
	var err error
	switch typ {
	case "hash":
		c, err = afalg.NewHash(afalg.Kernel, "sha256", nil)
	case "skcipher":
		c, err = afalg.NewCBC(afalg.Kernel, make([]byte, 16))
	case "aead":
		c, err = afalg.NewGCM(afalg.Kernel, make([]byte, 16), 16)
	}
	if err != nil {
		require.ErrorIs(t, err, afalg.ErrUnsupported)
		return false
	}
	c.Close()
	return true
}

// afalgField returns the value of the "name: value" line of out.
func afalgField(t *testing.T, out, name string) string {
	t.Helper()
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + `: (.*)$`).FindStringSubmatch(out)
	require.NotNil(t, m, "no %q line in:\n%s", name, out)
	return m[1]
}

// afalgBackendLine checks the first line against the backend asked for and
// what this kernel offers.
func afalgBackendLine(t *testing.T, out, backend, typ, name string) {
	t.Helper()
	first, _, _ := strings.Cut(out, "\n")
	switch {
	case backend == "go":
		assert.Equal(t, "backend: go (-backend go)", first)
	case afalgKernelHas(t, typ):
		assert.Equal(t, "backend: kernel (AF_ALG)", first)
	default:
		assert.True(t, strings.HasPrefix(first, "backend: go (fallback: AF_ALG "+typ+" "+name+": "), first)
	}
}

// On -backend kernel, every command either runs on the kernel or fails
// with an error naming what the kernel lacks.
func TestAFALGKernelBackend(t *testing.T) {
	file := filepath.Join(t.TempDir(), "plain.txt")
	require.NoError(t, os.WriteFile(file, []byte("Test AES-GCM with sendfile\n"), 0o600))
	for _, c := range []struct {
		typ, name string
		args      []string
	}{
		{"hash", "sha256", []string{"afalg-hash"}},
		{"skcipher", "cbc(aes)", []string{"afalg-aes-cbc"}},
		{"aead", "gcm(aes)", []string{"afalg-aes-gcm"}},
		{"aead", "gcm(aes)", []string{"afalg-gcm-sendfile", file}},
		{"aead", "gcm(aes)", []string{"afalg-benchmark", "-n", "10"}},
	} {
		args := append([]string{c.args[0], "-backend", "kernel"}, c.args[1:]...)
		stdout, stderr, err := execCLI("", args...)
		if afalgKernelHas(t, c.typ) {
			require.NoError(t, err, "%v\n%s", args, stderr)
			if c.args[0] == "afalg-benchmark" {
				assert.Regexp(t, `(?m)^kernel \(AF_ALG\) +\S+ +\S+ MB/s$`, stdout)
			} else {
				assert.True(t, strings.HasPrefix(stdout, "backend: kernel (AF_ALG)\n"), stdout)
			}
			continue
		}
		require.Error(t, err, "%v should fail without AF_ALG", args)
		assert.Contains(t, stderr, "sockbook: AF_ALG "+c.typ+" "+c.name+": ", args)
		assert.Regexp(t, `this kernel has no|is not loaded`, stderr, args)
	}
}

func TestAFALGHash(t *testing.T) {
	for _, backend := range []string{"go", "auto"} {
		out := runCLI(t, "afalg-hash", "-backend", backend)
		afalgBackendLine(t, out, backend, "hash", "sha256")
		want := sha256.Sum256([]byte("Python is awesome!"))
		assert.Contains(t, out, "\n"+hex.EncodeToString(want[:])+`  "Python is awesome!"`+"\n")

		data := bytes.Repeat([]byte("sockbook "), 20000)
		file := filepath.Join(t.TempDir(), "data")
		require.NoError(t, os.WriteFile(file, data, 0o600))
		out = runCLI(t, "afalg-hash", "-backend", backend, "-alg", "hmac(sha256)", "-key", "6b6579", file)
		mac := hmac.New(sha256.New, []byte("key"))
		mac.Write(data)
		assert.Contains(t, out, "\n"+hex.EncodeToString(mac.Sum(nil))+"  "+file+"\n")

		stdout, stderr, err := execCLI("from stdin", "afalg-hash", "-backend", backend, "-")
		require.NoError(t, err, stderr)
		want = sha256.Sum256([]byte("from stdin"))
		assert.Contains(t, stdout, "\n"+hex.EncodeToString(want[:])+"  -\n")
	}

	_, stderr := runCLIFail(t, "afalg-hash", "-key", "zz")
	assert.Contains(t, stderr, `-key "zz": not hex`)
	_, stderr = runCLIFail(t, "afalg-hash", "-backend", "go", "-alg", "whirlpool")
	assert.Contains(t, stderr, "afalg hash whirlpool: Go fallback: no Go implementation")
	_, stderr = runCLIFail(t, "afalg-hash", filepath.Join(t.TempDir(), "missing"))
	assert.Contains(t, stderr, "no such file or directory")
}

func TestAFALGAESCBC(t *testing.T) {
	key := "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
	iv := "101112131415161718191a1b1c1d1e1f"
	for _, backend := range []string{"go", "auto"} {
		out := runCLI(t, "afalg-aes-cbc", "-backend", backend, "-key", key, "-iv", iv, "-msg", "Demo AF_ALG")
		afalgBackendLine(t, out, backend, "skcipher", "cbc(aes)")
		block, err := aes.NewCipher(afalgHex(t, key))
		require.NoError(t, err)
		want := []byte("Demo AF_ALG\x05\x05\x05\x05\x05")
		cipher.NewCBCEncrypter(block, afalgHex(t, iv)).CryptBlocks(want, want)
		assert.Equal(t, hex.EncodeToString(want), afalgField(t, out, "ciphertext"))
		assert.Equal(t, `"Demo AF_ALG"`, afalgField(t, out, "plaintext"))
		assert.Equal(t, key, afalgField(t, out, "key"))
	}
	// Random key and IV by default: two runs differ.
	a, b := runCLI(t, "afalg-aes-cbc"), runCLI(t, "afalg-aes-cbc")
	assert.NotEqual(t, afalgField(t, a, "ciphertext"), afalgField(t, b, "ciphertext"))

	_, stderr := runCLIFail(t, "afalg-aes-cbc", "-key", "0011")
	assert.Contains(t, stderr, "AES key is 2 bytes long, want 16, 24 or 32")
}

// afalgStdGCM seals with crypto/cipher, for comparison with the commands.
func afalgStdGCM(t *testing.T, keyHex, nonceHex, aadHex string, tagSize int, pt []byte) (ct, tag string) {
	t.Helper()
	block, err := aes.NewCipher(afalgHex(t, keyHex))
	require.NoError(t, err)
	g, err := cipher.NewGCMWithTagSize(block, tagSize)
	require.NoError(t, err)
	sealed := g.Seal(nil, afalgHex(t, nonceHex), pt, afalgHex(t, aadHex))
	split := len(sealed) - tagSize
	return hex.EncodeToString(sealed[:split]), hex.EncodeToString(sealed[split:])
}

func afalgHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	require.NoError(t, err)
	return b
}

const (
	afalgKey   = "000102030405060708090a0b0c0d0e0f"
	afalgNonce = "101112131415161718191a1b"
	afalgAAD   = "202122232425262728292a2b2c2d2e2f"
)

func TestAFALGAESGCM(t *testing.T) {
	for _, backend := range []string{"go", "auto"} {
		for _, tagSize := range []int{16, 12} {
			out := runCLI(t, "afalg-aes-gcm", "-backend", backend, "-key", afalgKey, "-nonce", afalgNonce,
				"-aad", afalgAAD, "-tagsize", strconv.Itoa(tagSize), "-msg", "Hello AES-GCM")
			afalgBackendLine(t, out, backend, "aead", "gcm(aes)")
			ct, tag := afalgStdGCM(t, afalgKey, afalgNonce, afalgAAD, tagSize, []byte("Hello AES-GCM"))
			assert.Equal(t, ct, afalgField(t, out, "ciphertext"))
			assert.Equal(t, tag, afalgField(t, out, "tag"))
			assert.Equal(t, `"Hello AES-GCM"`, afalgField(t, out, "plaintext"))
		}
	}
	_, stderr := runCLIFail(t, "afalg-aes-gcm", "-nonce", "00")
	assert.Contains(t, stderr, "nonce is 1 bytes long, want 12")
}

func TestAFALGGCMSendfile(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "plain.txt")
	require.NoError(t, os.WriteFile(small, []byte("Test AES-GCM with sendfile\n"), 0o600))
	big := filepath.Join(dir, "big")
	bigData := bytes.Repeat([]byte("0123456789abcdef!"), 4000)
	require.NoError(t, os.WriteFile(big, bigData, 0o600))
	for _, backend := range []string{"go", "auto"} {
		out := runCLI(t, "afalg-gcm-sendfile", "-backend", backend, "-key", afalgKey, "-nonce", afalgNonce, "-aad", afalgAAD, small)
		afalgBackendLine(t, out, backend, "aead", "gcm(aes)")
		ct, tag := afalgStdGCM(t, afalgKey, afalgNonce, afalgAAD, 16, []byte("Test AES-GCM with sendfile\n"))
		assert.Equal(t, ct, afalgField(t, out, "ciphertext"))
		assert.Equal(t, tag, afalgField(t, out, "tag"))
		assert.Equal(t, `"Test AES-GCM with sendfile\n"`, afalgField(t, out, "plaintext"))
		assert.Equal(t, "27 bytes match "+small, afalgField(t, out, "round trip"))

		out = runCLI(t, "afalg-gcm-sendfile", "-backend", backend, "-key", afalgKey, "-nonce", afalgNonce, "-aad", afalgAAD, big)
		ct, tag = afalgStdGCM(t, afalgKey, afalgNonce, afalgAAD, 16, bigData)
		assert.Equal(t, ct, afalgField(t, out, "ciphertext"))
		assert.Equal(t, tag, afalgField(t, out, "tag"))
		assert.Equal(t, "68000 bytes", afalgField(t, out, "plaintext"))
	}
	_, stderr := runCLIFail(t, "afalg-gcm-sendfile")
	assert.Contains(t, stderr, "want one file to encrypt")
	_, stderr = runCLIFail(t, "afalg-gcm-sendfile", dir)
	assert.Contains(t, stderr, "is not a regular file")
}

func TestAFALGBenchmark(t *testing.T) {
	out := runCLI(t, "afalg-benchmark", "-n", "50", "-size", "4096")
	assert.Contains(t, out, "AES-128-GCM, seal then open, 50 messages of 4096 bytes\n")
	assert.Regexp(t, `(?m)^go \(crypto/cipher\) +\S+ +\S+ MB/s$`, out)
	if afalgKernelHas(t, "aead") {
		assert.Regexp(t, `(?m)^kernel \(AF_ALG\) +\S+ +\S+ MB/s$`, out)
	} else {
		assert.Regexp(t, `(?m)^kernel \(AF_ALG\) +not measured: AF_ALG aead gcm\(aes\): `, out)
	}

	out = runCLI(t, "afalg-benchmark", "-n", "5", "-backend", "go")
	assert.NotContains(t, out, "kernel")
	assert.Contains(t, out, "go (crypto/cipher)")

	_, stderr := runCLIFail(t, "afalg-benchmark", "-n", "0")
	assert.Contains(t, stderr, "0 iterations, want at least 1")
}
