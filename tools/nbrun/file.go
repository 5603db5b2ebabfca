package nbrun

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/sockbook/sockbook/tools/jupyter"
	"github.com/sockbook/sockbook/tools/nbformat"
)

// RunFile runs the notebook at path in a fresh kernel started from spec,
// and shuts the kernel down afterwards. With opts.Update it writes the
// notebook back when every cell that ran passed; the file is rewritten
// only when its bytes change. The kernel's stderr goes to stderr (nil
// discards it).
func RunFile(ctx context.Context, path string, spec jupyter.KernelSpec, opts Options, stderr *os.File) ([]CellResult, error) {
	nb, err := nbformat.ReadFile(path)
	if err != nil {
		return nil, err
	}
	k, err := jupyter.StartKernel(spec, nil, stderr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	defer k.Close(5 * time.Second)
	dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	client, err := k.Dial(dctx)
	cancel()
	if err != nil {
		return nil, fmt.Errorf("%s: connecting to the kernel: %w", path, err)
	}
	defer client.Close()

	results, err := Run(ctx, nb, client, opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	client.Shutdown(sctx, false)
	cancel()

	if opts.Update && !anyFailed(results) {
		if err := writeIfChanged(path, nb); err != nil {
			return results, err
		}
	}
	return results, nil
}

func anyFailed(results []CellResult) bool {
	for _, r := range results {
		if r.Status == Failed {
			return true
		}
	}
	return false
}

func writeIfChanged(path string, nb *nbformat.Notebook) error {
	data, err := nb.Marshal()
	if err != nil {
		return err
	}
	old, err := os.ReadFile(path)
	if err == nil && string(old) == string(data) {
		return nil
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("nbrun: %w", err)
	}
	return nil
}
