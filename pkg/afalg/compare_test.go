package afalg

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCompareGCM(t *testing.T) {
	ctx := context.Background()
	c, err := CompareGCM(ctx, Go, 20, 4096)
	require.NoError(t, err)
	assert.Equal(t, 20, c.Iterations)
	assert.Equal(t, 4096, c.Size)
	assert.Positive(t, c.Go)
	assert.Zero(t, c.Kernel)
	assert.NoError(t, c.KernelErr)

	c, err = CompareGCM(ctx, Auto, 20, 4096)
	require.NoError(t, err)
	assert.Positive(t, c.Go)
	probe, probeErr := openAlg("aead", "gcm(aes)")
	if probeErr == nil {
		probe.close()
		assert.Positive(t, c.Kernel)
		assert.NoError(t, c.KernelErr)
	} else {
		assert.Zero(t, c.Kernel)
		assert.ErrorIs(t, c.KernelErr, ErrUnsupported)

		_, err = CompareGCM(ctx, Kernel, 20, 4096)
		assert.ErrorIs(t, err, ErrUnsupported)
	}

	_, err = CompareGCM(ctx, Go, 0, 4096)
	assert.EqualError(t, err, "afalg: compare: 0 iterations, want at least 1")
	_, err = CompareGCM(ctx, Go, 1, -1)
	assert.Error(t, err)
	_, err = CompareGCM(ctx, Backend(9), 1, 1)
	assert.Error(t, err)

	canceled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = CompareGCM(canceled, Go, 1000000, 4096)
	assert.True(t, errors.Is(err, context.Canceled), "%v", err)
}

func TestCompareGCMKernel(t *testing.T) {
	requireAFALG(t, "aead", "gcm(aes)")
	c, err := CompareGCM(context.Background(), Kernel, 20, 4096)
	require.NoError(t, err)
	assert.Positive(t, c.Kernel)
	assert.Zero(t, c.Go)
}
