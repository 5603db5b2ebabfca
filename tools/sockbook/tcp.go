package main

// tcpCommands returns the commands of this recipe family. Not written yet.
func tcpCommands() []command { return nil }
