//go:build integration

package integration

import (
	"context"
	"encoding/json"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

var okHealth = regexp.MustCompile(`^OK: API Sessions service reachable; (\d+) requests stored in the last 24 h$`)

// storedCount reads N from the OK health message.
func storedCount(message string) (int64, bool) {
	m := okHealth.FindStringSubmatch(message)
	if m == nil {
		return 0, false
	}
	n, err := strconv.ParseInt(m[1], 10, 64)
	return n, err == nil
}

// lastHours is a query over the last h hours with the given interval, as Grafana would send it.
func lastHours(refID string, h int, interval time.Duration, model map[string]any) backend.DataQuery {
	raw, _ := json.Marshal(model)
	to := time.Now()
	return backend.DataQuery{
		RefID: refID, JSON: raw, Interval: interval, MaxDataPoints: 1000,
		TimeRange: backend.TimeRange{From: to.Add(-time.Duration(h) * time.Hour), To: to},
	}
}

func runQueries(t *testing.T, queries ...backend.DataQuery) *backend.QueryDataResponse {
	t.Helper()
	resp, err := requireStack(t).QueryData(context.Background(), &backend.QueryDataRequest{Queries: queries})
	if err != nil {
		t.Fatalf("QueryData: %v", err)
	}
	return resp
}

// TestAlertQueryReturnsNumericSeries runs a query the way Grafana Alerting does: no dashboard variables, only the
// rule's time range and interval, and expects a numeric time series.
func TestAlertQueryReturnsNumericSeries(t *testing.T) {
	resp := runQueries(t, lastHours("A", 6, 5*time.Minute, map[string]any{
		"refId": "A", "queryType": "patterns", "condition": "auth_failures",
		"datasource": map[string]any{"type": "apisessions-sessions-datasource", "uid": "alert"},
		"intervalMs": 300000, "maxDataPoints": 43200,
	}))
	res := resp.Responses["A"]
	if res.Error != nil {
		t.Fatalf("alert query failed: %v", res.Error)
	}
	if len(res.Frames) == 0 {
		t.Fatal("alert query returned no frames")
	}
	total := 0.0
	for _, f := range res.Frames {
		ts := f.TimeSeriesSchema()
		if ts.Type == data.TimeSeriesTypeNot {
			t.Fatalf("frame %q is not a numeric time series: %s", f.Name, describe(f))
		}
		total += sumNumbers(f)
	}
	if total <= 0 {
		t.Errorf("demo traffic has login brute force, but no auth_failures sessions were counted: %s", describe(res.Frames[0]))
	}
}

// TestHealthReportsStoredRequests expects the OK message with the demo's request count.
func TestHealthReportsStoredRequests(t *testing.T) {
	res, err := requireStack(t).CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if n, ok := storedCount(res.Message); res.Status != backend.HealthStatusOk || !ok || n <= 0 {
		t.Fatalf("health: status %v message %q", res.Status, res.Message)
	}
}

// TestBadQueryFailsAlone sends an invalid query next to a valid one: only the invalid one fails, with the
// service's own message.
func TestBadQueryFailsAlone(t *testing.T) {
	resp := runQueries(t,
		lastHours("BAD", 6, time.Minute, map[string]any{"queryType": "sessions", "limit": 5000}),
		lastHours("GOOD", 6, time.Minute, map[string]any{"queryType": "sessions", "limit": 10}),
	)
	bad := resp.Responses["BAD"]
	if bad.Error == nil || !strings.Contains(bad.Error.Error(), "limit") {
		t.Errorf("BAD: want the service's message about limit, got %v", bad.Error)
	}
	if bad.ErrorSource != backend.ErrorSourceDownstream || bad.Status != backend.StatusBadRequest {
		t.Errorf("BAD: error source %q status %d, want downstream 400", bad.ErrorSource, bad.Status)
	}
	good := resp.Responses["GOOD"]
	if good.Error != nil || len(good.Frames) == 0 || good.Frames[0].Rows() == 0 {
		t.Fatalf("GOOD: err=%v frames=%d", good.Error, len(good.Frames))
	}
}

// sumNumbers adds every numeric value of f (nulls count as 0).
func sumNumbers(f *data.Frame) float64 {
	total := 0.0
	for _, field := range f.Fields {
		if !field.Type().Numeric() {
			continue
		}
		for i := 0; i < field.Len(); i++ {
			if v, err := field.FloatAt(i); err == nil && !math.IsNaN(v) {
				total += v
			}
		}
	}
	return total
}

// describe prints a frame's name and field types for failure messages.
func describe(f *data.Frame) string {
	parts := make([]string, 0, len(f.Fields))
	for _, field := range f.Fields {
		parts = append(parts, field.Name+":"+field.Type().String())
	}
	return f.Name + "{" + strings.Join(parts, ", ") + "} rows=" + strconv.Itoa(f.Rows())
}
