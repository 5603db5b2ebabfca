package main

// tlsCommands returns the commands of this recipe family. Not written yet.
func tlsCommands() []command { return nil }
