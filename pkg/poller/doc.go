// Package poller is the one readiness layer under sockbook's event loops:
// select(2), poll(2), epoll(7) and kqueue(2) behind one small interface,
// each mechanism in its own short file.
//
//   - select.go: a bitmap per direction, copied and scanned on every wait;
//     only descriptors below FD_SETSIZE fit.
//   - poll.go: an array of pollfd, no descriptor limit, still scanned whole.
//   - epoll_linux.go: the interest list lives in the kernel; a wait costs in
//     proportion to the ready descriptors. What Go's runtime uses on Linux.
//   - kqueue_bsd.go: the same idea on macOS and the BSDs, with one filter
//     per direction. Vetted for BSD and macOS, not run by CI.
//
// A Poller only says which descriptors are ready; reading, writing and
// accepting stay with the caller, on raw descriptors. Package eventloop's
// servers wait with a Poller directly, and package selectors builds
// Python's Selector (keys with attached data) on top of one. A Waker lets
// another goroutine interrupt a wait.
//
// Every mechanism is level-triggered: a descriptor is reported for as
// long as it is ready, so a caller that did not finish with one this round
// hears of it again next round.
package poller
