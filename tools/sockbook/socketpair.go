package main

// socketpairCommands returns the commands of this recipe family. Not written yet.
func socketpairCommands() []command { return nil }
