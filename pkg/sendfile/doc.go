// Package sendfile moves file data with the kernel doing the copying: from a
// file into another file, and from a file into a TCP connection.
//
// It covers two recipes of chapter 07-sendfile:
//
//   - sendfile-copy: a file copied into another file with sendfile(2) called
//     by hand, next to copy_file_range(2) and io.Copy ([Copier.Copy],
//     [Copier.CopyFile]);
//   - sendfile-socket: a file sent to a TCP peer with sendfile(2) called by
//     hand, next to io.Copy ([Copier.Send], [Server]).
//
// # Why bother
//
// A read/write loop copies every byte twice across the user/kernel
// boundary: into a user buffer, then out of it. sendfile and
// copy_file_range hand the kernel two descriptors and a count, and the data
// never visits user space; one call can move megabytes.
//
// Fewer calls and no trip through the program do not always mean less CPU.
// Measured in tools/bench/results/sendfile.md: into a UNIX stream socket,
// sendfile used less CPU per GiB than a 32 KiB read/write loop; into a
// loopback TCP socket it used more, whatever the count per call: TCP's work
// on segments built from page-cache pages cost more than the copy it saves.
//
// Go programs mostly get this for free. io.Copy looks for fast paths, and
// on Linux the *os.File and *net.TCPConn ones are these very calls:
// file to file uses copy_file_range, file to TCP or Unix socket uses
// sendfile, and socket to file uses splice. The [IOCopy] method is there to
// show that: every copy records, next to its own call counts, how many read
// and write system calls the kernel saw the copying thread make
// ([ioacct.Counts]), so an io.Copy that did the work in one call can be told
// from a read/write loop that took hundreds.
//
// File-to-file copies need Linux: sendfile to a file and copy_file_range are
// Linux system calls. Elsewhere the package still builds; sendfile there
// writes only to sockets, and [CopyFileRange] gives way to [Sendfile] at
// once, saying why in Stats.Fallback. The per-thread counts of
// [ioacct.Counts] come from /proc and are zero where it is missing.
package sendfile
