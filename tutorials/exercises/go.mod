module github.com/sockbook/sockbook/tutorials/exercises

go 1.26.0

require (
	github.com/sockbook/sockbook v0.0.0
	golang.org/x/sys v0.50.0
)

require golang.org/x/net v0.62.0 // indirect

replace github.com/sockbook/sockbook => ../..
