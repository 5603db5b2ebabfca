package main

// addrCommands returns the commands of this recipe family. Not written yet.
func addrCommands() []command { return nil }
