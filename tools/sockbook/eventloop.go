package main

// eventLoopCommands returns the commands of this recipe family. Not written yet.
func eventLoopCommands() []command { return nil }
