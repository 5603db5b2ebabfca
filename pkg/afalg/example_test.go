package afalg_test

import (
	"context"
	"encoding/hex"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/sockbook/sockbook/pkg/afalg"
)

// Hash a message with SHA-256. With Auto, the kernel computes the digest
// where it offers AF_ALG and the Go standard library elsewhere; the digest
// is the same.
//
// Recipe: afalg-hash
func ExampleHash() {
	h, err := afalg.NewHash(afalg.Auto, "sha256", nil)
	if err != nil {
		log.Fatal(err)
	}
	defer h.Close()
	digest, err := h.Sum([]byte("Python is awesome!"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(hex.EncodeToString(digest))
	// Output:
	// 9d50bcac2d5e33f936ec2db7dc7b6579cba8e1b099d77c31d8564df46f66bdf5
}

// Encrypt and decrypt with AES-256-CBC; the PKCS#7 padding is added and
// checked in user space, since the kernel's cbc(aes) takes whole blocks only.
//
// Recipe: afalg-aes-cbc
func ExampleCBC() {
	// A fixed key and IV keep the output stable. Real code must never do
	// that: take both from crypto/rand, and never reuse an IV with a key.
	key, _ := hex.DecodeString("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
	iv, _ := hex.DecodeString("101112131415161718191a1b1c1d1e1f")
	c, err := afalg.NewCBC(afalg.Auto, key)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	ciphertext, err := c.Encrypt(iv, []byte("Demo AF_ALG"))
	if err != nil {
		log.Fatal(err)
	}
	plaintext, err := c.Decrypt(iv, ciphertext)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(hex.EncodeToString(ciphertext))
	fmt.Printf("%q\n", plaintext)
	// Output:
	// cd29c34020e53bbf95a8cad50ed77043
	// "Demo AF_ALG"
}

// Seal and open a message with AES-128-GCM, a 16-byte tag and associated
// data that is authenticated but not encrypted.
//
// Recipe: afalg-aes-gcm
func ExampleGCM() {
	// A fixed key and nonce keep the output stable. Real code must never
	// do that: take the key from crypto/rand and never use a nonce twice
	// with one key.
	key, _ := hex.DecodeString("000102030405060708090a0b0c0d0e0f")
	nonce, _ := hex.DecodeString("101112131415161718191a1b")
	aad := []byte("header, not secret") // authenticated, not encrypted
	g, err := afalg.NewGCM(afalg.Auto, key, 16)
	if err != nil {
		log.Fatal(err)
	}
	defer g.Close()
	sealed, err := g.Seal(nonce, []byte("Hello AES-GCM"), aad)
	if err != nil {
		log.Fatal(err)
	}
	ciphertext, tag := sealed[:len(sealed)-g.TagSize()], sealed[len(sealed)-g.TagSize():]
	plaintext, err := g.Open(nonce, sealed, aad)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("ciphertext", hex.EncodeToString(ciphertext))
	fmt.Println("tag", hex.EncodeToString(tag))
	fmt.Printf("%q\n", plaintext)

	sealed[0] ^= 1 // any change is detected
	_, err = g.Open(nonce, sealed, aad)
	fmt.Println(err)
	// Output:
	// ciphertext 8c4b6fc3606ff7aa44f01ab68a
	// tag 944a8dc47c15f22b36f36065e87da9fb
	// "Hello AES-GCM"
	// afalg: message authentication failed
}

// Encrypt a file with AES-GCM, the kernel reading it by sendfile(2), and
// decrypt the result back the same way.
//
// Recipe: afalg-gcm-sendfile
func ExampleGCM_SealFile() {
	dir, err := os.MkdirTemp("", "afalg-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	// The key, nonce and AAD of ExampleGCM. Real code takes the key from
	// crypto/rand and never uses a nonce twice with one key.
	key, _ := hex.DecodeString("000102030405060708090a0b0c0d0e0f")
	nonce, _ := hex.DecodeString("101112131415161718191a1b")
	aad := []byte("header, not secret")
	g, err := afalg.NewGCM(afalg.Auto, key, 16)
	if err != nil {
		log.Fatal(err)
	}
	defer g.Close()

	plain := createFile(filepath.Join(dir, "plain.txt"), []byte("Test AES-GCM with sendfile\n"))
	defer plain.Close()
	sealed, err := g.SealFile(nonce, plain, aad)
	if err != nil {
		log.Fatal(err)
	}
	sealedFile := createFile(filepath.Join(dir, "plain.txt.sealed"), sealed)
	defer sealedFile.Close()
	opened, err := g.OpenFile(nonce, sealedFile, aad)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(hex.EncodeToString(sealed[:len(sealed)-g.TagSize()]))
	fmt.Printf("%q\n", opened)
	// Output:
	// 904b70db2f0ef3bc3a9a1eb8e750824a529c07e258900dd6e9ae23
	// "Test AES-GCM with sendfile\n"
}

// createFile writes data to a new file at path and returns it open for
// reading, as SealFile and OpenFile take it.
func createFile(path string, data []byte) *os.File {
	if err := os.WriteFile(path, data, 0o600); err != nil {
		log.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	return f
}

// Time AES-GCM on the kernel and in Go on the same 4 KiB messages. The
// times depend on the machine, so this example prints only what was
// measured; the sockbook afalg-benchmark command prints the times.
//
// Recipe: afalg-benchmark
func ExampleCompareGCM() {
	c, err := afalg.CompareGCM(context.Background(), afalg.Auto, 100, 4096)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d messages of %d bytes sealed and opened\n", c.Iterations, c.Size)
	fmt.Println("crypto/cipher measured:", c.Go > 0)
	// The kernel is measured where it offers gcm(aes); elsewhere KernelErr
	// says why not.
	fmt.Println("kernel measured or explained:", c.Kernel > 0 || c.KernelErr != nil)
	// Output:
	// 100 messages of 4096 bytes sealed and opened
	// crypto/cipher measured: true
	// kernel measured or explained: true
}
