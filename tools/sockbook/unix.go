package main

// unixCommands returns the commands of this recipe family. Not written yet.
func unixCommands() []command { return nil }
