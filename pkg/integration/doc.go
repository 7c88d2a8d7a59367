// Package integration holds the end-to-end tests of the Go backend against the real API Sessions service, a
// local OpenSearch node and the demo traffic (see stack_test.go). It has no non-test code.
package integration
