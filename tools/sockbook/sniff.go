package main

// sniffCommands returns the commands of this recipe family. Not written yet.
func sniffCommands() []command { return nil }
