// Package integration holds the end-to-end tests of the Go backend against the real API Sessions service, a
// local OpenSearch node and the demo traffic (see stack_test.go), built only with `-tags integration`
// (`go test -tags integration ./pkg/...`; plain `go test ./...` runs the unit tests alone). It has no non-test code.
package integration
