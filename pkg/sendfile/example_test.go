package sendfile_test

import (
	"crypto/sha256"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"

	"github.com/sockbook/sockbook/pkg/sendfile"
)

// The cheat sheet copies a file with os.sendfile, 4096 bytes per call, and
// compares checksums. Here the same copy is made with sendfile,
// copy_file_range and io.Copy; Stats shows what each took.
//
// Recipe: sendfile-copy
func ExampleCopier_CopyFile() {
	dir, src := writeSource(1 << 20)
	defer os.RemoveAll(dir)

	for _, m := range []sendfile.Method{sendfile.Sendfile, sendfile.CopyFileRange, sendfile.IOCopy} {
		dst := filepath.Join(dir, "dd.out")
		st, err := sendfile.Copier{Method: m, Chunk: 4096}.CopyFile(dst, src)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%v: copied %d bytes", st.Method, st.Bytes)
		if st.Calls > 0 {
			fmt.Printf(" in %d calls", st.Calls)
		}
		fmt.Printf("; sha256 equal: %v\n", sha256File(src) == sha256File(dst))
	}
	// Output:
	// sendfile: copied 1048576 bytes in 256 calls; sha256 equal: true
	// copy_file_range: copied 1048576 bytes in 256 calls; sha256 equal: true
	// io.Copy: copied 1048576 bytes; sha256 equal: true
}

// The cheat sheet forks: the child sends a file with socket.sendfile, the
// parent writes what it receives into another file. Here a goroutine
// receives, and the file goes over loopback once with sendfile called by
// hand and once with io.Copy, which calls sendfile itself.
//
// Recipe: sendfile-socket
func ExampleCopier_Send() {
	dir, src := writeSource(1<<20 + 7)
	defer os.RemoveAll(dir)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer ln.Close()

	for _, m := range []sendfile.Method{sendfile.Sendfile, sendfile.IOCopy} {
		dst := filepath.Join(dir, "dd.out")
		received := make(chan int64)
		go func() {
			conn, err := ln.Accept()
			if err != nil {
				log.Fatal(err)
			}
			defer conn.Close()
			f, err := os.Create(dst)
			if err != nil {
				log.Fatal(err)
			}
			defer f.Close()
			n, err := io.Copy(f, conn) // until the sender closes
			if err != nil {
				log.Fatal(err)
			}
			received <- n
		}()

		conn, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			log.Fatal(err)
		}
		f, err := os.Open(src)
		if err != nil {
			log.Fatal(err)
		}
		st, err := sendfile.Copier{Method: m}.Send(conn, f)
		f.Close()
		conn.Close() // the receiver's EOF
		if err != nil {
			log.Fatal(err)
		}
		n := <-received
		fmt.Printf("%v: sent %d bytes, received %d; sha256 equal: %v\n", st.Method, st.Bytes, n, sha256File(src) == sha256File(dst))
	}
	// Output:
	// sendfile: sent 1048583 bytes, received 1048583; sha256 equal: true
	// io.Copy: sent 1048583 bytes, received 1048583; sha256 equal: true
}

// writeSource writes size pseudo-random bytes, the same on every run, to
// dd.in in a new temporary directory dir, which the caller removes.
func writeSource(size int) (dir, src string) {
	dir, err := os.MkdirTemp("", "sendfile-example")
	if err != nil {
		log.Fatal(err)
	}
	b := make([]byte, size)
	rand.NewChaCha8([32]byte{}).Read(b)
	src = filepath.Join(dir, "dd.in")
	if err := os.WriteFile(src, b, 0o644); err != nil {
		log.Fatal(err)
	}
	return dir, src
}

func sha256File(path string) [sha256.Size]byte {
	b, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	return sha256.Sum256(b)
}
