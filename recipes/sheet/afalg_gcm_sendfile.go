package sheet

import (
	"os"

	"github.com/sockbook/sockbook/pkg/afalg"
)

// AFALGGCMSendfile seals a whole file with AES-GCM in the kernel: a
// sendmsg with MSG_MORE starts the operation, then sendfile(2) hands the
// file's pages to the operation socket without copying them.
//
// Calls: afalg.NewGCM, os.Open
// Python: os.sendfile, socket.MSG_MORE
func AFALGGCMSendfile(key, nonce []byte, path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	g, err := afalg.NewGCM(afalg.Kernel, key, 16)
	if err != nil {
		return nil, err
	}
	defer g.Close()
	return g.SealFile(nonce, f, nil)
}
