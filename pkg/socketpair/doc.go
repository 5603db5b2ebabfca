// Package socketpair connects two processes, or two goroutines, with the
// two ends of a socketpair(2): a pair of already-connected Unix stream
// sockets that needs no address and no listener.
//
// It covers the recipes socketpair-duplex and socketpair-pipe.
//
// The cheat sheet forks, and the child simply keeps its copy of one end. Go
// cannot fork a running program, so [Conversation.RunProcesses] re-executes
// the program's own binary instead, hands it the child's end as descriptor
// 3 (exec.Cmd.ExtraFiles) and names the conversation in the environment
// variable [ChildEnv]. The re-executed program must notice that early and
// play the child: call [RunChildIfRequested] first thing in main (or in
// TestMain, for tests and examples that start processes).
//
// Both ends are created close-on-exec, so no other program started at the
// same time inherits them; only the child's explicit copy survives the
// exec. When every copy of one end is closed — the child exited or was
// killed — reads on the other end see end of file, which is how a parent
// notices a dead child instead of hanging. Only copies of the peer's end
// count: a reader's own spare copies change nothing, but one stray copy of
// the peer's end (the parent's copy of the child's end, kept after Start)
// holds end of file off for good.
//
// A stream socket keeps no message boundaries, though the cheat sheet's
// recv(1024) assumes it does. Messages here are lines, read with a size
// limit.
//
// [Conversation.RunGoroutines] runs the same two sides over a pair in one
// process, for notebooks and other hosts that cannot re-execute
// themselves.
package socketpair
