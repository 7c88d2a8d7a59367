package plugin

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

var (
	testFrom = time.UnixMilli(1764300000000).UTC()
	testTo   = time.UnixMilli(1764321600000).UTC()
)

func dataQuery(refID, model string) backend.DataQuery {
	return backend.DataQuery{
		RefID: refID, JSON: json.RawMessage(model), Interval: 5 * time.Minute, MaxDataPoints: 1200,
		TimeRange: backend.TimeRange{From: testFrom, To: testTo},
	}
}

func TestBuildQueryBody(t *testing.T) {
	q := dataQuery("A", `{"refId":"A","queryType":"patterns","condition":"auth_failures","threshold":3,
		"datasource":{"type":"apisessions-sessions-datasource","uid":"x"},"intervalMs":300000,"maxDataPoints":1200,
		"hide":false,"key":"Q-1","datasourceId":3,"utcOffsetSec":3600}`)
	raw, err := BuildQueryBody(q, 30)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	_ = json.Unmarshal(raw, &got)
	want := map[string]any{
		"queryType": "patterns", "condition": "auth_failures", "threshold": 3.0, "refId": "A",
		"from": float64(testFrom.UnixMilli()), "to": float64(testTo.UnixMilli()),
		"interval_ms": 300000.0, "max_data_points": 1200.0, "datasource_uid": "x",
	}
	if len(got) != len(want) {
		t.Fatalf("body keys: got %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: got %v, want %v", k, got[k], v)
		}
	}
}

func TestBuildQueryBodyIdleTimeout(t *testing.T) {
	cases := []struct {
		model string
		want  any
	}{
		{`{"queryType":"sessions"}`, 15.0},
		{`{"queryType":"sessions","idle_timeout_minutes":0}`, 0.0},
		{`{"queryType":"requests"}`, nil},
		{`{"queryType":"sequences"}`, 15.0},
		{`{"queryType":"patterns","condition":"skipped_step"}`, 15.0},
		{`{"queryType":"patterns","condition":"skipped_step","idle_timeout_minutes":45}`, 45.0},
		{`{"queryType":"patterns","condition":"endpoint"}`, nil},
	}
	for _, tc := range cases {
		raw, err := BuildQueryBody(dataQuery("A", tc.model), 15)
		if err != nil {
			t.Fatal(err)
		}
		var got map[string]any
		_ = json.Unmarshal(raw, &got)
		if got["idle_timeout_minutes"] != tc.want {
			t.Errorf("%s: idle_timeout_minutes = %v, want %v", tc.model, got["idle_timeout_minutes"], tc.want)
		}
	}
	q := dataQuery("B", `{}`)
	q.QueryType = "breakdown"
	raw, _ := BuildQueryBody(q, 30)
	if !strings.Contains(string(raw), `"queryType":"breakdown"`) {
		t.Errorf("queryType from the DataQuery must be sent when the model has none: %s", raw)
	}
	if _, err := BuildQueryBody(dataQuery("C", `{`), 30); err == nil {
		t.Error("invalid query JSON must be an error")
	}
}

func TestDecodeFramesFixture(t *testing.T) {
	raw, err := os.ReadFile("testdata/query_answer.json")
	if err != nil {
		t.Fatal(err)
	}
	frames, err := DecodeFrames(raw, "Z")
	if err != nil {
		t.Fatal(err)
	}
	if len(frames) != 3 {
		t.Fatalf("want 3 frames, got %d", len(frames))
	}
	sessions := frames[0]
	if sessions.Name != "sessions" || sessions.RefID != "A" || sessions.Rows() != 2 {
		t.Fatalf("sessions frame: name=%q refId=%q rows=%d", sessions.Name, sessions.RefID, sessions.Rows())
	}
	wantTypes := []data.FieldType{data.FieldTypeNullableString, data.FieldTypeNullableTime, data.FieldTypeNullableTime,
		data.FieldTypeNullableFloat64, data.FieldTypeNullableInt64, data.FieldTypeNullableBool,
		data.FieldTypeNullableString, data.FieldTypeNullableFloat64}
	for i, ft := range wantTypes {
		if got := sessions.Fields[i].Type(); got != ft {
			t.Errorf("field %s: type %s, want %s", sessions.Fields[i].Name, got, ft)
		}
	}
	start := sessions.Fields[1].At(0).(*time.Time)
	if start.UnixMilli() != 1764310000000 {
		t.Errorf("start = %v", start)
	}
	if n := sessions.Fields[4].At(0).(*int64); *n != 42 {
		t.Errorf("requests = %d", *n)
	}
	if u := sessions.Fields[6].At(1).(*string); u != nil {
		t.Errorf("null user decoded as %q", *u)
	}
	if sessions.Meta == nil || sessions.Meta.Custom == nil || sessions.Meta.PreferredVisualization != data.VisTypeTable {
		t.Errorf("meta lost: %+v", sessions.Meta)
	}
	if len(sessions.Fields[0].Config.Links) != 1 {
		t.Errorf("data link lost")
	}
	series := frames[1]
	if series.RefID != "Z" || series.Fields[1].Labels["client_ip"] != "203.0.113.7" {
		t.Errorf("series frame: refId %q labels %v", series.RefID, series.Fields[1].Labels)
	}
	if ts := series.TimeSeriesSchema(); ts.Type != data.TimeSeriesTypeWide {
		t.Errorf("patterns frame is not a time series: %v", ts.Type)
	}
	if frames[2].Fields[1].Type() != data.FieldTypeNullableJSON {
		t.Errorf("tags type %s", frames[2].Fields[1].Type())
	}
}

func TestDecodeFramesRejectsBadAnswers(t *testing.T) {
	for _, body := range []string{`not json`, `{"rows":[]}`, `{"frames":[{"schema":{"fields":[{"name":"x","typeInfo":{"frame":"int64"}}]},"data":{"values":[["a"]]}}]}`} {
		if _, err := DecodeFrames([]byte(body), "A"); err == nil {
			t.Errorf("%s: want an error", body)
		}
	}
}

func TestQueryDataForwardsAndIsolatesFailures(t *testing.T) {
	fixture, _ := os.ReadFile("testdata/query_answer.json")
	svc := newFakeService(t, func(w http.ResponseWriter, r *http.Request, body map[string]any) {
		if body["refId"] == "BAD" {
			writeJSON(w, 400, `{"error":{"code":"invalid_query","message":"limit: must be at most 1000","details":[{"field":"limit","message":"must be at most 1000"}]}}`)
			return
		}
		writeJSON(w, 200, string(fixture))
	})
	ds := newTestDatasource(t, svc.URL, "")
	resp, err := ds.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{
		dataQuery("A", `{"queryType":"sessions"}`),
		dataQuery("BAD", `{"queryType":"sessions","limit":5000}`),
		dataQuery("C", `{"queryType":"patterns","condition":"attacks"}`),
	}})
	if err != nil {
		t.Fatal(err)
	}
	bad := resp.Responses["BAD"]
	if bad.Error == nil || bad.Error.Error() != "limit: must be at most 1000" {
		t.Fatalf("BAD: want the service's message, got %v", bad.Error)
	}
	if bad.ErrorSource != backend.ErrorSourceDownstream || bad.Status != backend.StatusBadRequest {
		t.Errorf("BAD: source %q status %d", bad.ErrorSource, bad.Status)
	}
	for _, ref := range []string{"A", "C"} {
		if r := resp.Responses[ref]; r.Error != nil || len(r.Frames) != 3 {
			t.Errorf("%s: err=%v frames=%d", ref, r.Error, len(r.Frames))
		}
	}
	for _, seen := range svc.requests() {
		if seen.Method != http.MethodPost || seen.Path != "/v1/query" || seen.Auth != "Bearer "+testToken {
			t.Errorf("request %s %s auth %q", seen.Method, seen.Path, seen.Auth)
		}
		if seen.Body["from"] != float64(testFrom.UnixMilli()) || seen.Body["to"] != float64(testTo.UnixMilli()) ||
			seen.Body["interval_ms"] != 300000.0 || seen.Body["max_data_points"] != 1200.0 || seen.Body["refId"] == nil {
			t.Errorf("body lacks time range / interval / refId: %v", seen.Body)
		}
	}
}

func TestQueryDataUnreachableAndNonJSONErrors(t *testing.T) {
	svc := newFakeService(t, func(w http.ResponseWriter, _ *http.Request, _ map[string]any) {
		w.WriteHeader(502)
		_, _ = w.Write([]byte("upstream exploded"))
	})
	ds := newTestDatasource(t, svc.URL, "")
	resp, _ := ds.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{dataQuery("A", `{}`)}})
	if e := resp.Responses["A"].Error; e == nil || e.Error() != "upstream exploded" {
		t.Errorf("non-JSON error body: got %v", e)
	}
	svc.Close()
	resp, _ = ds.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{dataQuery("A", `{}`)}})
	if e := resp.Responses["A"].Error; e == nil || !strings.Contains(e.Error(), "service unreachable at "+svc.URL) {
		t.Errorf("unreachable: got %v", e)
	}
}

func TestQueryDataBoundsConcurrency(t *testing.T) {
	var inFlight, peak atomic.Int32
	svc := newFakeService(t, func(w http.ResponseWriter, _ *http.Request, _ map[string]any) {
		n := inFlight.Add(1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		time.Sleep(20 * time.Millisecond)
		inFlight.Add(-1)
		writeJSON(w, 200, `{"frames":[]}`)
	})
	ds := newTestDatasource(t, svc.URL, "")
	var queries []backend.DataQuery
	for _, ref := range strings.Split("ABCDEFGHIJKL", "") {
		queries = append(queries, dataQuery(ref, `{"queryType":"requests"}`))
	}
	resp, _ := ds.QueryData(context.Background(), &backend.QueryDataRequest{Queries: queries})
	if len(resp.Responses) != len(queries) {
		t.Fatalf("want %d responses, got %d", len(queries), len(resp.Responses))
	}
	if p := peak.Load(); p > maxConcurrentQueries || p < 2 {
		t.Errorf("peak concurrency %d, want 2..%d", p, maxConcurrentQueries)
	}
}

// A budget refusal or a timeout reaches the panel as the service's own message, marked downstream; an estimated
// total reaches it as a frame notice.
func TestQueryDataBudgetAnswersReachThePanel(t *testing.T) {
	svc := newFakeService(t, func(w http.ResponseWriter, _ *http.Request, body map[string]any) {
		switch body["refId"] {
		case "BROAD":
			writeJSON(w, 400, `{"error":{"code":"query_too_broad","message":"grouping these sessions needs about 3,400,000 aggregation buckets, over this service's budget of 1,000,000 (QUERY_MAX_CELLS); narrow the time range","details":[{"field":"from","message":"narrow the time range"}]}}`)
		case "SLOW":
			writeJSON(w, 504, `{"error":{"code":"query_timeout","message":"the query did not finish within 60000 ms; narrow the time range or add filters"}}`)
		default:
			writeJSON(w, 200, `{"frames":[{"schema":{"name":"sessions","meta":{"custom":{"total":120400,"total_is_estimate":true},"notices":[{"severity":"info","text":"The total, 120,400 sessions, is an estimate (±0.7%)"}]},"fields":[{"name":"session_id","type":"string","typeInfo":{"frame":"string","nullable":true}}]},"data":{"values":[["k"]]}}]}`)
		}
	})
	ds := newTestDatasource(t, svc.URL, "")
	resp, _ := ds.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{
		dataQuery("BROAD", `{"queryType":"sessions","sort":"requests"}`),
		dataQuery("SLOW", `{"queryType":"sessions"}`),
		dataQuery("EST", `{"queryType":"sessions"}`),
	}})
	broad := resp.Responses["BROAD"]
	if broad.Error == nil || !strings.Contains(broad.Error.Error(), "QUERY_MAX_CELLS") ||
		broad.Status != backend.StatusBadRequest || broad.ErrorSource != backend.ErrorSourceDownstream {
		t.Errorf("query_too_broad: %v status %d source %q", broad.Error, broad.Status, broad.ErrorSource)
	}
	slow := resp.Responses["SLOW"]
	if slow.Error == nil || !strings.Contains(slow.Error.Error(), "did not finish within") ||
		slow.Status != backend.StatusTimeout || slow.ErrorSource != backend.ErrorSourceDownstream {
		t.Errorf("query_timeout: %v status %d source %q", slow.Error, slow.Status, slow.ErrorSource)
	}
	est := resp.Responses["EST"]
	if est.Error != nil || len(est.Frames) != 1 || est.Frames[0].Meta == nil || len(est.Frames[0].Meta.Notices) != 1 {
		t.Fatalf("estimate: %v %+v", est.Error, est.Frames)
	}
	if n := est.Frames[0].Meta.Notices[0]; n.Severity != data.NoticeSeverityInfo || !strings.Contains(n.Text, "estimate") {
		t.Errorf("notice lost: %+v", n)
	}
}
