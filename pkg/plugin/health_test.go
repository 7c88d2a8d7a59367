package plugin

import (
	"context"
	"net/http"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

func TestCheckHealth(t *testing.T) {
	cases := []struct {
		name       string
		status     int
		body       string
		wantStatus backend.HealthStatus
		wantMsg    string
	}{
		{"ok", 200, `{"status":"ok","opensearch":"green","template":true,"requests_24h":1234}`, backend.HealthStatusOk,
			"OK: API Sessions service reachable; 1234 requests stored in the last 24 h"},
		{"token refused", 401, `{"error":{"code":"unauthorized","message":"missing or invalid bearer token"}}`,
			backend.HealthStatusError, "token refused by the service (401)"},
		{"opensearch down", 503, `{"status":"unavailable","opensearch":"unreachable"}`, backend.HealthStatusError,
			"OpenSearch is down: cluster unreachable"},
		{"opensearch red with message", 503, `{"status":"unavailable","opensearch":"red","error":{"message":"no primary shards"}}`,
			backend.HealthStatusError, "OpenSearch is down: cluster red; no primary shards"},
		{"unexpected", 500, `{"error":{"code":"internal","message":"boom"}}`, backend.HealthStatusError, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			svc := newFakeService(t, func(w http.ResponseWriter, _ *http.Request, _ map[string]any) {
				writeJSON(w, tc.status, tc.body)
			})
			ds := newTestDatasource(t, svc.URL, "")
			res, err := ds.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != tc.wantStatus {
				t.Errorf("status %v, want %v (%s)", res.Status, tc.wantStatus, res.Message)
			}
			want := tc.wantMsg
			if want == "" {
				want = "unexpected answer from the service at " + svc.URL + ": API Sessions service (500): boom"
			}
			if res.Message != want {
				t.Errorf("message %q, want %q", res.Message, want)
			}
			seen := svc.requests()[0]
			if seen.Method != http.MethodGet || seen.Path != "/readyz" || seen.Auth != "Bearer "+testToken {
				t.Errorf("request %+v", seen)
			}
		})
	}
}

func TestCheckHealthUnreachable(t *testing.T) {
	svc := newFakeService(t, func(http.ResponseWriter, *http.Request, map[string]any) {})
	url := svc.URL
	svc.Close()
	ds := newTestDatasource(t, url, "")
	res, _ := ds.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	prefix := "service unreachable at " + url + ": "
	if res.Status != backend.HealthStatusError || len(res.Message) <= len(prefix) || res.Message[:len(prefix)] != prefix {
		t.Errorf("got %v %q", res.Status, res.Message)
	}
}
