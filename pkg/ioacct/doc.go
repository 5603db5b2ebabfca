// Package ioacct counts the read-side and write-side system calls a
// function makes, as the kernel's per-thread I/O accounting
// (/proc/thread-self/io, its syscr and syscw lines) sees them.
//
// The counts show which system calls really moved the bytes: the kernel
// counts sendfile, copy_file_range and splice as one read-side and one
// write-side call each, read, readv and pread as read-side calls, and write,
// writev and pwrite as write-side calls. It does not count sendmsg or
// recvmsg, nor calls that move no data (socket, accept, setsockopt).
//
// The accounting needs Linux built with CONFIG_TASK_IO_ACCOUNTING; elsewhere
// [Count] still runs its function and reports the counts as not measured.
package ioacct
