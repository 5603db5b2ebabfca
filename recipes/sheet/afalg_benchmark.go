package sheet

import (
	"context"
	"fmt"

	"github.com/sockbook/sockbook/pkg/afalg"
)

// AFALGBenchmark seals and opens the same 4 KiB messages with AF_ALG and
// with crypto/cipher, and says how long each took. Go's AES-GCM uses the
// CPU's AES instructions; a socket round trip per message costs more.
//
// Calls: afalg.CompareGCM
// Python: time.time, AESGCM
func AFALGBenchmark(ctx context.Context) (string, error) {
	c, err := afalg.CompareGCM(ctx, afalg.Kernel, 10000, 4096)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("AF_ALG %v, crypto/cipher %v", c.Kernel, c.Go), nil
}
