package afalg

import (
	"errors"
	"fmt"
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// SealFile is Seal with the plaintext read from f, from its start to its
// end; f's file offset is left alone. On the kernel backend the file's
// pages go to the operation socket by sendfile(2) without passing through
// user space: a sendmsg carrying only the control messages and MSG_MORE
// starts the operation, the AAD follows with MSG_MORE, then sendfile adds
// the file.
func (g *GCM) SealFile(nonce []byte, f *os.File, aad []byte) ([]byte, error) {
	return g.cryptFile(true, nonce, f, aad)
}

// OpenFile is Open with the ciphertext and tag read from f, from its start
// to its end, by sendfile(2) on the kernel backend as in SealFile.
func (g *GCM) OpenFile(nonce []byte, f *os.File, aad []byte) ([]byte, error) {
	return g.cryptFile(false, nonce, f, aad)
}

func (g *GCM) cryptFile(encrypt bool, nonce []byte, f *os.File, aad []byte) ([]byte, error) {
	if err := checkNonce(nonce); err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("afalg: gcm(aes): %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("afalg: gcm(aes): %s is not a regular file", f.Name())
	}
	size := fi.Size()
	if !encrypt && size < int64(g.tagSize) {
		return nil, fmt.Errorf("afalg: gcm(aes): %s is %d bytes long, shorter than the %d-byte tag", f.Name(), size, g.tagSize)
	}
	if g.aead != nil {
		data, err := io.ReadAll(io.NewSectionReader(f, 0, size))
		if err != nil {
			return nil, fmt.Errorf("afalg: gcm(aes): reading %s: %w", f.Name(), err)
		}
		if encrypt {
			return g.Seal(nonce, data, aad)
		}
		return g.Open(nonce, data, aad)
	}

	op, err := g.op()
	if err != nil {
		return nil, err
	}
	defer op.close()
	in, out := len(aad)+int(size), len(aad)+int(size)+g.tagSize
	if !encrypt {
		out = len(aad) + int(size) - g.tagSize
	}
	if err := op.fit(in, out); err != nil {
		return nil, err
	}
	if err := op.send(nil, control(encrypt, nonce, true, len(aad)), msgMore); err != nil {
		return nil, err
	}
	if err := op.send([][]byte{aad}, nil, msgMore); err != nil {
		return nil, err
	}
	if err := op.sendfile(f, size); err != nil {
		return nil, err
	}
	// sendfile sends its last piece without MSG_MORE, which ends the
	// message, but nothing guarantees that a short transfer did not end it
	// early or that the last piece dropped the flag. An empty send without
	// MSG_MORE ends the message if it is still open; if it is already
	// ended, the kernel refuses it with EINVAL and changes nothing. An
	// empty file needs this send in any case.
	if err := op.send(nil, nil, 0); err != nil && !errors.Is(err, unix.EINVAL) {
		return nil, err
	}
	if encrypt {
		ct := make([]byte, int(size)+g.tagSize)
		if err := op.read(make([]byte, len(aad)), ct); err != nil {
			return nil, err
		}
		return ct, nil
	}
	return op.readOpened(len(aad), int(size)-g.tagSize)
}

// sendfile sends the first size bytes of f with sendfile(2). It reaches
// f's descriptor through SyscallConn, which, unlike Fd, leaves the file's
// blocking mode alone.
func (o *opSocket) sendfile(f *os.File, size int64) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return fmt.Errorf("afalg: %s: %w", f.Name(), err)
	}
	var serr error
	err = rc.Control(func(fd uintptr) {
		var off int64 // sendfile advances off, not the file's offset
		for off < size {
			n, err := unix.Sendfile(o.fd, int(fd), &off, int(size-off))
			if err == unix.EINTR {
				continue
			}
			if err != nil {
				serr = o.alg.fail("sendfile "+f.Name(), err)
				return
			}
			if n == 0 {
				serr = o.alg.fail("sendfile "+f.Name(), fmt.Errorf("file ended after %d of %d bytes", off, size))
				return
			}
		}
	})
	if err != nil {
		return fmt.Errorf("afalg: %s: %w", f.Name(), err)
	}
	return serr
}
