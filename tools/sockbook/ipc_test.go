package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCLISocketpairDuplex(t *testing.T) {
	assert.Equal(t, "child ---> parent: Hello Parent\nparent ---> child: Hello Parent\n",
		runCLI(t, "socketpair-duplex"))
}

func TestCLISocketpairPipe(t *testing.T) {
	assert.Equal(t, "Hi! Child!\nHi! Parent!\nHi! Child!\nHi! Parent!\n",
		runCLI(t, "socketpair-pipe", "-rounds", "2"))

	_, stderr := runCLIFail(t, "socketpair-pipe", "-rounds", "0")
	assert.Contains(t, stderr, "-rounds 0: must be positive")
}
