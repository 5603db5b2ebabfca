package main

// ipcCommands returns the commands of this recipe family. Not written yet.
func ipcCommands() []command { return nil }
