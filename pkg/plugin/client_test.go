package plugin

import (
	"context"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
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

func TestCallTimeoutPassesTheTimeLeft(t *testing.T) {
	now := time.Now()
	if got := callTimeout(context.Background(), now); got != requestTimeout-timeoutMargin {
		t.Errorf("no deadline: %v", got)
	}
	ctx, cancel := context.WithDeadline(context.Background(), now.Add(10*time.Second))
	defer cancel()
	if got := callTimeout(ctx, now); got != 10*time.Second-timeoutMargin {
		t.Errorf("10 s deadline: %v", got)
	}
	past, cancelPast := context.WithDeadline(context.Background(), now.Add(-time.Second))
	defer cancelPast()
	if got := callTimeout(past, now); got != time.Millisecond {
		t.Errorf("past deadline: %v", got)
	}
}

func TestClientSendsTheTimeoutHeader(t *testing.T) {
	got := make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- r.Header.Get(timeoutHeader)
		writeJSON(w, 200, `{}`)
	}))
	defer srv.Close()
	c, err := newServiceClient(Settings{URL: srv.URL, QueryToken: testToken})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := c.do(ctx, http.MethodPost, "/v1/query", nil, []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	ms, _ := strconv.Atoi(<-got)
	if ms < 4000 || ms > 4500 {
		t.Errorf("X-Timeout-Ms = %d, want ~4500 (5 s deadline − 0.5 s margin)", ms)
	}
}

// Grafana cancelling a query closes the connection: the service sees its request end at once (and cancels the
// query's OpenSearch searches, backend/test/query/bounded.test.ts).
func TestCancellationReachesTheService(t *testing.T) {
	ended := make(chan time.Duration, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body) // like the service: the body is read, then the query runs
		start := time.Now()
		select {
		case <-r.Context().Done():
			ended <- time.Since(start)
		case <-time.After(10 * time.Second):
			ended <- -1
		}
	}))
	defer srv.Close()
	c, err := newServiceClient(Settings{URL: srv.URL, QueryToken: testToken})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		time.Sleep(100 * time.Millisecond)
		cancel()
	}()
	if _, err := c.do(ctx, http.MethodPost, "/v1/query", nil, []byte(`{}`)); err == nil {
		t.Fatal("a cancelled call must fail")
	}
	if d := <-ended; d < 0 || d > 2*time.Second {
		t.Errorf("the service's request did not end when Grafana cancelled (%v)", d)
	}
}
