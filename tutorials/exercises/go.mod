module github.com/sockbook/sockbook/tutorials/exercises

go 1.26.0

require (
	github.com/sockbook/sockbook v0.0.0
	github.com/stretchr/testify v1.12.1
	golang.org/x/sys v0.50.0
)

require go.yaml.in/yaml/v3 v3.0.5 // indirect

replace github.com/sockbook/sockbook => ../..
