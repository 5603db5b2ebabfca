//go:build race

package gokernel

const raceEnabled = true
