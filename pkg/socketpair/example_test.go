package socketpair_test

import (
	"context"
	"log"
	"os"

	"github.com/sockbook/sockbook/pkg/socketpair"
)

// The parent re-executes its own program as the child; the child sends a
// greeting over the socketpair and the parent echoes it back. The cheat
// sheet prints process IDs; the roles stand in for them here, since IDs
// change with every run.
//
// Recipe: socketpair-duplex
func ExampleDuplex() {
	// This program's TestMain calls socketpair.RunChildIfRequested, so the
	// re-executed copy plays the child.
	err := socketpair.Duplex().RunProcesses(context.Background(), os.Stdout)
	if err != nil {
		log.Fatal(err)
	}
	// Output:
	// child ---> parent: Hello Parent
	// parent ---> child: Hello Parent
}

// Parent and child processes take turns over the socketpair like the two
// ends of a pair of pipes. The cheat sheet loops forever, three seconds
// apart; three rounds, back to back, show the same alternation.
//
// Recipe: socketpair-pipe
func ExamplePingPong() {
	err := socketpair.PingPong(3).RunProcesses(context.Background(), os.Stdout)
	if err != nil {
		log.Fatal(err)
	}
	// Output:
	// Hi! Child!
	// Hi! Parent!
	// Hi! Child!
	// Hi! Parent!
	// Hi! Child!
	// Hi! Parent!
}

// Where the program cannot re-execute itself, as in a notebook, the same
// two sides run in two goroutines of one process.
func ExampleConversation_RunGoroutines() {
	err := socketpair.Duplex().RunGoroutines(context.Background(), os.Stdout)
	if err != nil {
		log.Fatal(err)
	}
	// Output:
	// child ---> parent: Hello Parent
	// parent ---> child: Hello Parent
}
