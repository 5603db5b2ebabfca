package main

// sendfileCommands returns the commands of this recipe family. Not written yet.
func sendfileCommands() []command { return nil }
