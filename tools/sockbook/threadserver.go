package main

// threadServerCommands returns the commands of this recipe family. Not written yet.
func threadServerCommands() []command { return nil }
