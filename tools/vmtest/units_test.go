package main

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/sockbook/sockbook/tools/vmtest/internal/bootcfg"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func writeModuleTree(t *testing.T, dep, builtin string) string {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "modules.dep"), []byte(dep), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "modules.builtin"), []byte(builtin), 0o644))
	return dir
}

func TestModuleOrder(t *testing.T) {
	dir := writeModuleTree(t, `kernel/crypto/gf128mul.ko:
kernel/crypto/ghash-generic.ko: kernel/crypto/gf128mul.ko
kernel/crypto/af_alg.ko:
kernel/crypto/algif_aead.ko: kernel/crypto/af_alg.ko
kernel/crypto/gcm.ko: kernel/crypto/ghash-generic.ko kernel/crypto/ctr.ko
kernel/crypto/ctr.ko:
`, "kernel/crypto/aes_generic.ko\nkernel/crypto/sha256_generic.ko\n")

	got, err := moduleOrder(dir, []string{"algif-aead", "gcm", "aes-generic", "ghash_generic"})
	require.NoError(t, err)
	assert.Equal(t, []string{
		"kernel/crypto/af_alg.ko", "kernel/crypto/algif_aead.ko",
		"kernel/crypto/gf128mul.ko", "kernel/crypto/ghash-generic.ko",
		"kernel/crypto/ctr.ko", "kernel/crypto/gcm.ko",
	}, got, "dependencies first, each module once, built-in ones left out")
}

func TestModuleOrderErrors(t *testing.T) {
	dir := writeModuleTree(t, "a.ko: b.ko\nb.ko: a.ko\n", "")
	_, err := moduleOrder(dir, []string{"nosuch"})
	assert.ErrorContains(t, err, `module "nosuch": neither in`)

	_, err = moduleOrder(dir, []string{"a"})
	assert.ErrorContains(t, err, "a cycle through")

	_, err = moduleOrder(t.TempDir(), []string{"a"})
	assert.ErrorContains(t, err, "modules.builtin", "a tree without modules.builtin is not a module tree")
}

func TestImagePackage(t *testing.T) {
	got, err := imagePackage("linux-image-6.12.48+deb13-amd64 (= 6.12.48-1), initramfs-tools | linux-initramfs-tool")
	require.NoError(t, err)
	assert.Equal(t, "linux-image-6.12.48+deb13-amd64=6.12.48-1", got)

	got, err = imagePackage("linux-image-6.1.0-40-amd64")
	require.NoError(t, err)
	assert.Equal(t, "linux-image-6.1.0-40-amd64", got)

	_, err = imagePackage("initramfs-tools")
	assert.ErrorContains(t, err, "no linux-image-* package")
}

func TestImageModuleName(t *testing.T) {
	assert.Equal(t, "kernel_crypto_gcm.ko", imageModuleName("kernel/crypto/gcm.ko.xz"))
	assert.Equal(t, "kernel_crypto_af_alg.ko", imageModuleName("kernel/crypto/af_alg.ko"))
}

func TestScanConsole(t *testing.T) {
	const token = "0123abcd"
	console := strings.Join([]string{
		"Linux version 6.1",
		"vmtest 0123abcd exit 0", // before the start line: the kernel's, ignored
		bootcfg.StartLine(token),
		"=== RUN   TestX",
		"vmtest ffff exit 0", // another token: the program's output
		"--- FAIL: TestX",
		"no newline" + bootcfg.ExitLine(token, 1),
		"reboot: System halted",
	}, "\n") + "\n"
	var out, log bytes.Buffer
	status, err := scanConsole(strings.NewReader(console), token, &out, &log, nil)
	require.NoError(t, err)
	assert.Equal(t, 1, status)
	assert.Equal(t, "=== RUN   TestX\nvmtest ffff exit 0\n--- FAIL: TestX\nno newline", out.String())
	assert.Equal(t, "Linux version 6.1\nvmtest 0123abcd exit 0\n", log.String())
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// Files the guest sends back arrive whole, in pieces, and are kept out of
// the program's output.
func TestScanConsoleOutFiles(t *testing.T) {
	const token = "feed"
	console := strings.Join([]string{
		bootcfg.StartLine(token),
		"program output",
		"last line without newline" + bootcfg.OutLine(token, b64("nb/a.ipynb"), b64("hello, ")),
		bootcfg.OutLine(token, b64("nb/a.ipynb"), b64("world")),
		bootcfg.OutLine(token, b64("empty"), ""),
		bootcfg.OutLine("other", b64("forged"), b64("x")), // another token: output
		bootcfg.ExitLine(token, 0),
	}, "\n") + "\n"
	var out bytes.Buffer
	files := map[string][]byte{}
	status, err := scanConsole(strings.NewReader(console), token, &out, io.Discard, files)
	require.NoError(t, err)
	assert.Equal(t, 0, status)
	assert.Equal(t, "hello, world", string(files["nb/a.ipynb"]))
	assert.Contains(t, files, "empty")
	assert.Len(t, files, 2)
	assert.Equal(t, "program output\nlast line without newline"+bootcfg.OutLine("other", b64("forged"), b64("x"))+"\n", out.String())
}

func TestExtraFiles(t *testing.T) {
	host := filepath.Join(t.TempDir(), "k")
	require.NoError(t, os.WriteFile(host, []byte("x"), 0o755))
	files, err := extraFiles([]string{host + ":/vmtest/bin/k"})
	require.NoError(t, err)
	require.Len(t, files, 1)
	assert.Equal(t, "/vmtest/bin/k", files[0].name)
	assert.Equal(t, uint32(0o755), files[0].mode)
	for _, bad := range []string{host, host + ":relative", ":/x", host + ":/init", "/no/such/file:/x", t.TempDir() + ":/x"} {
		_, err := extraFiles([]string{bad})
		assert.ErrorContains(t, err, "-file", bad)
	}
}

func TestScanConsoleWithoutExitLine(t *testing.T) {
	for name, console := range map[string]string{
		"no start":    "Kernel panic - not syncing: No working init found.\n",
		"no exit":     bootcfg.StartLine("t") + "\n=== RUN   TestX\n",
		"cut off":     bootcfg.StartLine("t") + "\n" + bootcfg.ExitLine("t", 0)[:8],
		"bad status":  bootcfg.StartLine("t") + "\nvmtest t exit x\n",
		"bad out":     bootcfg.StartLine("t") + "\n" + bootcfg.OutLine("t", "!!", "") + "\n" + bootcfg.ExitLine("t", 0) + "\n",
		"out escapes": bootcfg.StartLine("t") + "\n" + bootcfg.OutLine("t", b64("../x"), "") + "\n" + bootcfg.ExitLine("t", 0) + "\n",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := scanConsole(strings.NewReader(console), "t", io.Discard, io.Discard, map[string][]byte{})
			assert.Error(t, err)
		})
	}
}

func TestTestFlags(t *testing.T) {
	assert.Equal(t,
		[]string{"-test.run", "Hash", "-test.v", "-test.bench=.", "-test.count", "1", "-"},
		testFlags([]string{"-run", "Hash", "-v", "--bench=.", "-test.count", "1", "-"}))
}

func TestGuestEnv(t *testing.T) {
	t.Setenv("SOCKBOOK_REQUIRE", "afalg")
	t.Setenv("VMTEST_FAIL", "1")
	t.Setenv("VMTEST_UNIT_EXTRA", "from host")
	t.Setenv("SECRET_OF_HOST", "x")
	env := guestEnv([]string{"VMTEST_UNIT_EXTRA", "A=b", "NOT_SET_ANYWHERE_12345"})
	assert.Contains(t, env, "SOCKBOOK_REQUIRE=afalg")
	assert.Contains(t, env, "VMTEST_FAIL=1")
	assert.Contains(t, env, "A=b")
	assert.Contains(t, env, "TMPDIR=/tmp")
	for _, kv := range env {
		assert.NotContains(t, kv, "SECRET_OF_HOST")
		assert.NotContains(t, kv, "NOT_SET_ANYWHERE")
	}
}

func TestWriteImage(t *testing.T) {
	src := filepath.Join(t.TempDir(), "prog")
	require.NoError(t, os.WriteFile(src, []byte("program bytes"), 0o755))
	var buf bytes.Buffer
	require.NoError(t, writeImage(&buf, []imageFile{
		{name: "/init", mode: 0o755, src: src},
		{name: "/vmtest/modules/a.ko", mode: 0o644, data: []byte("module")},
	}))
	zr, err := gzip.NewReader(&buf)
	require.NoError(t, err)
	raw, err := io.ReadAll(zr)
	require.NoError(t, err)
	archive := string(raw)
	for _, name := range []string{"dev\x00", "dev/console\x00", "proc\x00", "tmp\x00", "vmtest\x00", "vmtest/modules\x00", "init\x00", "TRAILER!!!\x00"} {
		assert.Contains(t, archive, name)
	}
	assert.Contains(t, archive, "program bytes")
	assert.Less(t, strings.Index(archive, "vmtest\x00"), strings.Index(archive, "vmtest/modules\x00"), "parents first")

	err = writeImage(io.Discard, []imageFile{{name: "relative", mode: 0o644}})
	assert.ErrorContains(t, err, `"relative": name is not absolute`)
	err = writeImage(io.Discard, []imageFile{{name: "/x", mode: 0o644, src: "/nonexistent/file"}})
	assert.ErrorContains(t, err, "/nonexistent/file")
}

func TestSharedLibs(t *testing.T) {
	// Debian's /bin/sh is dynamically linked against the C library.
	libs, err := sharedLibs("/bin/sh")
	if err != nil {
		testenv.Skip(t, testenv.VM, "no dynamically linked /bin/sh to build the guest image with: "+err.Error())
	}
	require.NotEmpty(t, libs)
	assert.Contains(t, libs[0], "ld-linux", "the dynamic loader comes first")
	assert.True(t, slices.ContainsFunc(libs, func(l string) bool { return strings.Contains(l, "libc.so") }), "libs %v", libs)

	// A file with no ELF header is reported, not guessed at.
	notELF := filepath.Join(t.TempDir(), "script")
	require.NoError(t, os.WriteFile(notELF, []byte("#!/bin/sh\n"), 0o755))
	_, err = sharedLibs(notELF)
	assert.ErrorContains(t, err, notELF+": not an ELF program")
}
