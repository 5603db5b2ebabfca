package main

// afalgCommands returns the commands of this recipe family. Not written yet.
func afalgCommands() []command { return nil }
