package selectors

import (
	"errors"
	"fmt"
	"runtime"
)

func unsupported(name string) error {
	return fmt.Errorf("selectors: %s is not supported on %s: %w", name, runtime.GOOS, errors.ErrUnsupported)
}
