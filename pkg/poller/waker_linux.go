package poller

import (
	"encoding/binary"
	"os"

	"golang.org/x/sys/unix"
)

// An eventfd holds a 64-bit counter: a write adds to it, a read returns it
// and resets it to zero, so one read drains any number of wakeups.
const drainAgain = false

func newWakeFDs() (r, w int, err error) {
	fd, err := unix.Eventfd(0, unix.EFD_NONBLOCK|unix.EFD_CLOEXEC)
	if err != nil {
		return -1, -1, os.NewSyscallError("eventfd", err)
	}
	return fd, fd, nil
}

func signalWakeFD(fd int) error {
	var one [8]byte
	binary.NativeEndian.PutUint64(one[:], 1)
	_, err := unix.Write(fd, one[:])
	return err
}
