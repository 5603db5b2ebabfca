// Package cpio writes archives in the "newc" cpio format (magic 070701),
// the format the Linux kernel unpacks as an initramfs.
//
// The interface follows archive/tar: WriteHeader starts an entry, Write
// supplies its body, and Close ends the archive with the TRAILER!!! entry.
// Only what an initramfs needs is supported: regular files, directories,
// device nodes and symbolic links, all 32-bit fields, no hard links.
package cpio

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

// Mode bits of the file type, as in st_mode. Header.Mode carries one of them
// together with the permission bits.
const (
	TypeMask    = 0o170000
	TypeReg     = 0o100000
	TypeDir     = 0o040000
	TypeChar    = 0o020000
	TypeBlock   = 0o060000
	TypeSymlink = 0o120000
)

// trailerName names the empty entry that ends every newc archive.
const trailerName = "TRAILER!!!"

// headerLen is the length of a newc header: a 6-byte magic and 13 fields of
// 8 hex digits.
const headerLen = 6 + 13*8

// maxField is the largest value a newc header field holds.
const maxField = 1<<32 - 1

// Header describes one archive entry.
type Header struct {
	// Name is the path inside the archive, without a leading slash
	// ("dev/console"); the kernel creates entries relative to its root.
	Name string
	// Mode is the file type (one of the Type constants) ORed with the
	// permission bits.
	Mode uint32
	UID  uint32
	GID  uint32
	// Mtime is the modification time in seconds since the Unix epoch.
	Mtime uint32
	// Size is the length of the body that Write must supply: the file's
	// contents, or a symbolic link's target. Directories and device nodes
	// have none.
	Size int64
	// Devmajor and Devminor are the device numbers of a device node.
	Devmajor uint32
	Devminor uint32
}

// Writer writes a newc archive to an underlying io.Writer.
type Writer struct {
	w       io.Writer
	ino     uint32 // inode number of the last entry; each entry gets its own
	name    string // current entry, for error messages
	left    int64  // body bytes the current entry still expects
	pad     int    // zero bytes that follow the current body
	written int64  // total bytes written, for alignment
	closed  bool
	err     error // sticky: after a failed write the archive is unusable
}

// NewWriter returns a Writer that writes the archive to w.
func NewWriter(w io.Writer) *Writer {
	return &Writer{w: w}
}

// WriteHeader finishes the previous entry and starts a new one described by
// h. It fails if the previous entry's body was shorter than its Size.
func (w *Writer) WriteHeader(h *Header) error {
	if err := w.finishEntry(); err != nil {
		return err
	}
	if err := checkHeader(h); err != nil {
		return err
	}
	w.ino++
	nlink := uint32(1)
	if h.Mode&TypeMask == TypeDir {
		nlink = 2
	}
	if err := w.writeHeader(h, w.ino, nlink); err != nil {
		return err
	}
	w.name, w.left = h.Name, h.Size
	w.pad = padding(w.written + h.Size)
	return nil
}

// Write writes body bytes of the current entry. Writing more than the
// header's Size is an error.
func (w *Writer) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	if w.closed {
		return 0, errors.New("cpio: write after Close")
	}
	if int64(len(p)) > w.left {
		return 0, fmt.Errorf("cpio: %q: write of %d bytes exceeds the %d left of its Size", w.name, len(p), w.left)
	}
	n, err := w.w.Write(p)
	w.left -= int64(n)
	w.written += int64(n)
	if err != nil {
		w.err = fmt.Errorf("cpio: %q: %w", w.name, err)
		return n, w.err
	}
	return n, nil
}

// Close finishes the last entry and writes the trailer. It does not close
// the underlying writer.
func (w *Writer) Close() error {
	if w.closed {
		return w.err
	}
	if err := w.finishEntry(); err != nil {
		return err
	}
	w.closed = true
	if err := w.writeHeader(&Header{Name: trailerName}, 0, 1); err != nil {
		return err
	}
	return w.err
}

// finishEntry checks that the current body is complete and pads it to a
// four-byte boundary.
func (w *Writer) finishEntry() error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return errors.New("cpio: write after Close")
	}
	if w.left > 0 {
		return fmt.Errorf("cpio: %q: body is %d bytes shorter than its Size", w.name, w.left)
	}
	w.writeRaw(make([]byte, w.pad))
	w.pad = 0
	return w.err
}

func (w *Writer) writeHeader(h *Header, ino, nlink uint32) error {
	fields := []uint32{
		ino, h.Mode, h.UID, h.GID, nlink, h.Mtime, uint32(h.Size),
		0, 0, // device the entry lives on
		h.Devmajor, h.Devminor,
		uint32(len(h.Name) + 1), // name length, counting its NUL
		0,                       // checksum, used only by the 070702 format
	}
	var b strings.Builder
	b.WriteString("070701")
	for _, f := range fields {
		fmt.Fprintf(&b, "%08X", f)
	}
	b.WriteString(h.Name)
	b.WriteByte(0)
	// The header and name together are padded to four bytes.
	for range padding(w.written + int64(b.Len())) {
		b.WriteByte(0)
	}
	w.writeRaw([]byte(b.String()))
	return w.err
}

func (w *Writer) writeRaw(p []byte) {
	if w.err != nil || len(p) == 0 {
		return
	}
	n, err := w.w.Write(p)
	w.written += int64(n)
	if err != nil {
		w.err = fmt.Errorf("cpio: %w", err)
	}
}

// padding returns how many zero bytes bring n to a multiple of four.
func padding(n int64) int {
	return int((4 - n%4) % 4)
}

func checkHeader(h *Header) error {
	switch {
	case h.Name == "":
		return errors.New("cpio: header: empty name")
	case strings.ContainsRune(h.Name, 0):
		return fmt.Errorf("cpio: header: name %q contains a NUL byte", h.Name)
	case h.Name == trailerName:
		return fmt.Errorf("cpio: header: name %q is reserved for the trailer", h.Name)
	case h.Size < 0 || h.Size > maxField:
		return fmt.Errorf("cpio: header %q: size %d outside the newc range 0..%d", h.Name, h.Size, int64(maxField))
	}
	switch h.Mode & TypeMask {
	case TypeReg, TypeSymlink:
	case TypeDir, TypeChar, TypeBlock:
		if h.Size != 0 {
			return fmt.Errorf("cpio: header %q: size %d, but a directory or device node has no body", h.Name, h.Size)
		}
	default:
		return fmt.Errorf("cpio: header %q: mode %#o has no supported file type", h.Name, h.Mode)
	}
	return nil
}
