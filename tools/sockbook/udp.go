package main

// udpCommands returns the commands of this recipe family. Not written yet.
func udpCommands() []command { return nil }
