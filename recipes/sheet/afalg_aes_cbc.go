package sheet

import "github.com/sockbook/sockbook/pkg/afalg"

// AFALGAESCBC encrypts and decrypts with the kernel's "cbc(aes)": the key
// is set on the bound socket (ALG_SET_KEY), the operation and IV travel
// as control messages of each sendmsg. CBC needs a fresh random IV per
// message and, to be safe, a MAC.
//
// Calls: afalg.NewCBC
// Python: socket.ALG_SET_KEY, socket.ALG_OP_ENCRYPT, .sendmsg_afalg
func AFALGAESCBC(key, iv, plain []byte) ([]byte, error) {
	c, err := afalg.NewCBC(afalg.Kernel, key)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	sealed, err := c.Encrypt(iv, plain)
	if err != nil {
		return nil, err
	}
	return c.Decrypt(iv, sealed)
}
