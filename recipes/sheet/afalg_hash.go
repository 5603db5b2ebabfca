package sheet

import "github.com/sockbook/sockbook/pkg/afalg"

// AFALGHash asks the Linux kernel for a SHA-256 digest. afalg.NewHash
// binds an AF_ALG socket to ("hash", "sha256"); each Sum accepts an
// operation socket, writes the data to it and reads the digest back.
//
// Calls: afalg.NewHash
// Python: socket.AF_ALG, socket.SOCK_SEQPACKET, .accept
func AFALGHash(data []byte) ([]byte, error) {
	h, err := afalg.NewHash(afalg.Kernel, "sha256", nil)
	if err != nil {
		return nil, err
	}
	defer h.Close()
	return h.Sum(data)
}
