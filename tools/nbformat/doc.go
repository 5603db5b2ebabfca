// Package nbformat reads and writes Jupyter notebooks (nbformat 4) so that
// a notebook saved by Jupyter and the same notebook written back by this
// package are identical byte for byte.
//
// Jupyter's writer (Python's nbformat) sorts keys, indents by one space,
// leaves non-ASCII text unescaped, and stores multi-line strings — cell
// sources, stream text, text outputs — as lists of lines. Go's
// encoding/json differs on several of these (it escapes <, > and &, and
// U+2028), so Write formats JSON itself, the way Python's json.dumps does.
// Numbers in metadata are kept as written.
package nbformat
