package main

// socketserverCommands returns the commands of this recipe family. Not written yet.
func socketserverCommands() []command { return nil }
