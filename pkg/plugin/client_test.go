package plugin

import (
	"context"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestClientTLS(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 200, `{"status":"ok"}`)
	}))
	defer srv.Close()
	caPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))

	call := func(s Settings) error {
		s.URL, s.QueryToken = srv.URL, testToken
		c, err := newServiceClient(s)
		if err != nil {
			return err
		}
		_, err = c.do(context.Background(), http.MethodGet, "/readyz", nil, nil)
		return err
	}
	if err := call(Settings{}); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("untrusted certificate must fail, got %v", err)
	}
	if err := call(Settings{TLSCACert: caPEM}); err != nil {
		t.Fatalf("CA cert should be trusted: %v", err)
	}
	if err := call(Settings{TLSSkipVerify: true}); err != nil {
		t.Fatalf("skip verify should connect: %v", err)
	}
	if err := call(Settings{TLSCACert: "not a pem"}); err == nil || !strings.Contains(err.Error(), "no PEM certificate") {
		t.Fatalf("bad PEM must be refused, got %v", err)
	}
}

func TestClientHonoursCancellation(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { <-release }))
	defer srv.Close()
	defer close(release)
	c, err := newServiceClient(Settings{URL: srv.URL, QueryToken: testToken})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.do(ctx, http.MethodGet, "/readyz", nil, nil); err == nil {
		t.Fatal("a cancelled context must stop the call")
	}
}
