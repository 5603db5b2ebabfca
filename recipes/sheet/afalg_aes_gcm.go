package sheet

import "github.com/sockbook/sockbook/pkg/afalg"

// AFALGAESGCM seals and opens a message with the kernel's "gcm(aes)"
// aead: the tag size is set with ALG_SET_AEAD_AUTHSIZE, and the kernel
// reads the associated data from the front of what is sent.
//
// Calls: afalg.NewGCM
// Python: socket.ALG_SET_AEAD_AUTHSIZE, .sendmsg_afalg, assoclen
func AFALGAESGCM(key, nonce, plain, aad []byte) ([]byte, error) {
	g, err := afalg.NewGCM(afalg.Kernel, key, 16)
	if err != nil {
		return nil, err
	}
	defer g.Close()
	sealed, err := g.Seal(nonce, plain, aad)
	if err != nil {
		return nil, err
	}
	return g.Open(nonce, sealed, aad)
}
