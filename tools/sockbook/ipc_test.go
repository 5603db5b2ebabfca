package main

import (
	"os/exec"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCLISocketpairDuplex(t *testing.T) {
	assert.Equal(t, "child ---> parent: Hello Parent\nparent ---> child: Hello Parent\n",
		runCLI(t, "socketpair-duplex"))
}

func TestCLISocketpairPipe(t *testing.T) {
	assert.Equal(t, "Hi! Child!\nHi! Parent!\nHi! Child!\nHi! Parent!\n",
		runCLI(t, "socketpair-pipe", "-rounds", "2"))

	out, err := exec.Command(binary, "socketpair-pipe", "-rounds", "0").CombinedOutput()
	require.Error(t, err)
	assert.Contains(t, string(out), "-rounds 0: must be positive")
}
