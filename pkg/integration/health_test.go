//go:build integration

package integration

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// TestHealthShowsTheServiceReasonWhenNotReady starts a second real service whose OpenSearch is unreachable and
// checks that Grafana's "Test" button shows the service's own reason (its /readyz answer), not a guess.
func TestHealthShowsTheServiceReasonWhenNotReady(t *testing.T) {
	requireStack(t)
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	deadPort, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	service, err := startChild(stack.root, t.TempDir(), "service-without-opensearch", "backend/src/main.ts", map[string]string{
		"PORT": strconv.Itoa(port), "HOST": "127.0.0.1", "OPENSEARCH_URL": fmt.Sprintf("http://127.0.0.1:%d", deadPort),
		"INDEX_PREFIX": "gotest-down", "INGEST_TOKENS": ingestToken, "QUERY_TOKENS": queryToken,
		"SESSION_SECRET": "gotest-session-secret-0123456789",
	})
	if err != nil {
		t.Fatal(err)
	}
	defer service.stop()
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	if err := waitHTTP(url+"/healthz", service, serviceUp); err != nil {
		t.Fatal(err)
	}
	ds, err := newDatasource(url)
	if err != nil {
		t.Fatal(err)
	}
	res, err := ds.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("API Sessions service not ready: OpenSearch is unreachable: connect ECONNREFUSED 127.0.0.1:%d", deadPort)
	if res.Status != backend.HealthStatusError || !strings.HasPrefix(res.Message, want) {
		t.Errorf("got %v %q, want %q", res.Status, res.Message, want)
	}
}
