// Package bootcfg is the contract between the vmtest host command and the
// /init program it puts in the guest's initramfs: where things are in the
// image and how the guest reports back.
//
// Arguments and environment travel in a file rather than on the kernel
// command line, which mangles quoting and splits module parameters off.
package bootcfg

import "fmt"

// Paths inside the initramfs.
const (
	ConfigPath = "/vmtest/config.json" // a Config, as JSON
	TestPath   = "/vmtest/test"        // the program to run
	ModuleDir  = "/vmtest/modules"     // kernel modules, loaded in Config.Modules order
	WorkDir    = "/vmtest/work"        // the program's working directory
	// OutDir is the folder whose files come back to the host (vmtest
	// -out), sent over the console after the program ends.
	OutDir = "/vmtest/out"
)

// OutLine is a line that carries a piece of a file in OutDir back to the
// host: its path relative to OutDir and up to OutChunk bytes of it, both
// base64-encoded. A file's pieces come in order; an empty file has one
// line with no data.
func OutLine(token, b64Path, b64Data string) string {
	return fmt.Sprintf("vmtest %s out %s %s", token, b64Path, b64Data)
}

// OutPrefix is how every OutLine starts.
func OutPrefix(token string) string {
	return fmt.Sprintf("vmtest %s out ", token)
}

// OutChunk is the most bytes of a file one OutLine carries.
const OutChunk = 3 << 10

// Config tells /init what to run.
type Config struct {
	// Modules are file names in ModuleDir, dependencies first.
	Modules []string
	// Args are the program's arguments, without argv[0].
	Args []string
	// Env is the program's whole environment, as KEY=value.
	Env []string
	// Token is a random string the host chose for this boot. It appears in
	// the marker lines, so that no output of the program can forge them.
	Token string
}

// StartLine is the line /init prints just before it starts the program:
// everything the console shows before it is the kernel's.
func StartLine(token string) string {
	return fmt.Sprintf("vmtest %s start", token)
}

// ExitLine is the line /init prints when the program has ended. A status of
// 128+n means the program was killed by signal n; ExitSetupFailed means the
// program never ran.
func ExitLine(token string, status int) string {
	return fmt.Sprintf("vmtest %s exit %d", token, status)
}

// ExitSetupFailed is the status /init reports when it could not prepare or
// start the program (a module failed to load, the config was unreadable).
const ExitSetupFailed = 125
