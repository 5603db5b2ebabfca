// Package sheet holds the cheat sheet's snippets: for every recipe of
// recipes.tsv, the Go lines that do what the recipe is about, as one
// function named for the recipe's slug, and beside it the Python that
// makes the same socket call.
//
// Each recipe has a file named for its slug (tcp-echo is tcp_echo.go and
// tcp_echo.py). The function's doc comment ends with two lines the tests
// and the site read:
//
//	Calls: net.Listen, io.Copy
//	Python: socket.SO_REUSEADDR, .accept
//
// Calls names the calls the recipe is about; each must be made in the
// function's body. Python names what the .py file must contain. The site
// shows the function, without its doc comment, and the Python file.
//
// The snippets are compiled and vetted like any code, but not run: the
// recipes' packages under pkg/ are where they are tested.
package sheet
