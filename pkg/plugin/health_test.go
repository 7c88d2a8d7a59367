package plugin

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
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
		{"not ready without a reason", 503, `{"status":"unavailable","opensearch":"unreachable"}`, backend.HealthStatusError,
			"API Sessions service not ready (OpenSearch cluster unreachable)"},
		{"opensearch red", 503, `{"status":"unavailable","opensearch":"red","message":"OpenSearch cluster status is red"}`,
			backend.HealthStatusError, "API Sessions service not ready: OpenSearch cluster status is red"},
		{"503 of another shape", 503, `{"error":{"code":"storage_unavailable","message":"storage is unavailable"}}`,
			backend.HealthStatusError, "API Sessions service not ready: storage is unavailable"},
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

// TestCheckHealthReadsTheServiceAnswers replays the service's real /readyz answers (testdata/readyz_*.json, written
// from the running service by backend/test/ingest/readiness-contract.test.ts) and checks what Grafana's "Test"
// button shows: the service's own reason, not a guess.
func TestCheckHealthReadsTheServiceAnswers(t *testing.T) {
	cases := []struct {
		file       string
		wantStatus backend.HealthStatus
		wantMsg    string
	}{
		{"readyz_ok.json", backend.HealthStatusOk, "OK: API Sessions service reachable; 3 requests stored in the last 24 h"},
		{"readyz_no_template.json", backend.HealthStatusError,
			"API Sessions service not ready: index template not installed yet (OpenSearch cluster green)"},
		{"readyz_unreachable.json", backend.HealthStatusError,
			"API Sessions service not ready: OpenSearch is unreachable: connect ECONNREFUSED 127.0.0.1:9"},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			var answer struct {
				Status int             `json:"status"`
				Body   json.RawMessage `json:"body"`
			}
			if err := json.Unmarshal(raw, &answer); err != nil {
				t.Fatalf("%s: %v", tc.file, err)
			}
			svc := newFakeService(t, func(w http.ResponseWriter, _ *http.Request, _ map[string]any) {
				writeJSON(w, answer.Status, string(answer.Body))
			})
			res, err := newTestDatasource(t, svc.URL, "").CheckHealth(context.Background(), &backend.CheckHealthRequest{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != tc.wantStatus || res.Message != tc.wantMsg {
				t.Errorf("got %v %q, want %v %q", res.Status, res.Message, tc.wantStatus, tc.wantMsg)
			}
		})
	}
}

// TestCheckHealthTooManyAuthFailures shows the limiter's reason (the service's 429) with its wait.
func TestCheckHealthTooManyAuthFailures(t *testing.T) {
	svc := newFakeService(t, func(w http.ResponseWriter, _ *http.Request, _ map[string]any) {
		w.Header().Set("Retry-After", "42")
		writeJSON(w, 429, `{"error":{"code":"too_many_auth_failures","message":"too many failed authentications; retry later"}}`)
	})
	res, _ := newTestDatasource(t, svc.URL, "").CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	want := "the service refuses this address for 42 s: too many failed authentications; retry later (check the query token)"
	if res.Status != backend.HealthStatusError || res.Message != want {
		t.Errorf("got %v %q, want %q", res.Status, res.Message, want)
	}
}
