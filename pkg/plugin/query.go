package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// maxConcurrentQueries bounds how many queries of one request are in flight at once.
const maxConcurrentQueries = 4

// grafanaEnvelopeKeys are keys Grafana adds to query models; the service does not know them and refuses unknown
// parameters (400 naming them), so they are stripped here (the frontend's list is GRAFANA_KEYS in
// src/data/query-model.ts).
var grafanaEnvelopeKeys = []string{"datasource", "datasourceId", "intervalMs", "maxDataPoints", "hide", "key",
	"utcOffsetSec"}

// QueryData runs every query of req concurrently and answers each under its refId.
// A failing query gets its own error; it never fails the others.
func (d *Datasource) QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	resp := backend.NewQueryDataResponse()
	var mu sync.Mutex
	var wg sync.WaitGroup
	slots := make(chan struct{}, maxConcurrentQueries)
	for _, q := range req.Queries {
		wg.Add(1)
		go func(q backend.DataQuery) {
			defer wg.Done()
			slots <- struct{}{}
			defer func() { <-slots }()
			res := d.runQuery(ctx, q)
			mu.Lock()
			resp.Responses[q.RefID] = res
			mu.Unlock()
		}(q)
	}
	wg.Wait()
	return resp, nil
}

// runQuery posts one query to /v1/query and decodes the frames of the answer.
func (d *Datasource) runQuery(ctx context.Context, q backend.DataQuery) backend.DataResponse {
	body, err := BuildQueryBody(q, d.settings.DefaultIdleTimeoutMinutes)
	if err != nil {
		return backend.ErrDataResponseWithSource(backend.StatusBadRequest, backend.ErrorSourcePlugin, err.Error())
	}
	answer, err := d.client.do(ctx, http.MethodPost, "/v1/query", nil, body)
	if err != nil {
		log.DefaultLogger.FromContext(ctx).Warn("query not answered", "refId", q.RefID, "error", err.Error())
		return transportErrorResponse(ctx, d.settings.URL, err)
	}
	if !isSuccess(answer.Status) {
		serviceErr := parseServiceError(answer)
		if answer.Status >= http.StatusInternalServerError {
			log.DefaultLogger.FromContext(ctx).Warn("query failed in the service", "refId", q.RefID,
				"status", answer.Status, "code", serviceErr.Code)
		}
		return backend.ErrDataResponseWithSource(backend.Status(answer.Status), backend.ErrorSourceDownstream, serviceErr.Message)
	}
	frames, err := DecodeFrames(answer.Body, q.RefID)
	if err != nil {
		return backend.ErrDataResponseWithSource(backend.StatusBadGateway, backend.ErrorSourceDownstream, err.Error())
	}
	return backend.DataResponse{Frames: frames}
}

// BuildQueryBody returns the JSON body for POST /v1/query: the query model as Grafana stored it (opaque, so a new
// query type needs no Go change) without Grafana's envelope keys, plus from/to (epoch ms of the query's time
// range), interval_ms, max_data_points, refId and datasource_uid (from the query's datasource). Queries that split
// session parts (sessions, sequences, patterns skipped_step) without idle_timeout_minutes get defaultIdleMinutes.
// Example: {"queryType":"patterns","condition":"attacks"} over [t0,t1] with a 5m interval →
// {"queryType":"patterns","condition":"attacks","from":t0,"to":t1,"interval_ms":300000,"refId":"A",...}.
func BuildQueryBody(q backend.DataQuery, defaultIdleMinutes int) ([]byte, error) {
	model := map[string]any{}
	if len(q.JSON) > 0 {
		if err := json.Unmarshal(q.JSON, &model); err != nil {
			return nil, fmt.Errorf("query %s: invalid query JSON: %w", q.RefID, err)
		}
	}
	// The data source uid lets the service add an Explore data link to session ids.
	if ds, ok := model["datasource"].(map[string]any); ok {
		if uid, ok := ds["uid"].(string); ok && uid != "" && !strings.HasPrefix(uid, "$") {
			model["datasource_uid"] = uid
		}
	}
	for _, key := range grafanaEnvelopeKeys {
		delete(model, key)
	}
	if _, ok := model["queryType"]; !ok && q.QueryType != "" {
		model["queryType"] = q.QueryType
	}
	model["refId"] = q.RefID
	model["from"] = q.TimeRange.From.UnixMilli()
	model["to"] = q.TimeRange.To.UnixMilli()
	if ms := q.Interval.Milliseconds(); ms > 0 {
		model["interval_ms"] = ms
	}
	if q.MaxDataPoints > 0 {
		model["max_data_points"] = q.MaxDataPoints
	}
	// Queries that split session parts take the data source's idle timeout when the query has none.
	if splitsParts(model) {
		if _, ok := model["idle_timeout_minutes"]; !ok {
			model["idle_timeout_minutes"] = defaultIdleMinutes
		}
	}
	return json.Marshal(model)
}

// splitsParts reports whether a query model groups requests into session parts: sessions, sequences, and the
// patterns condition skipped_step (the other patterns conditions refuse idle_timeout_minutes).
func splitsParts(model map[string]any) bool {
	switch model["queryType"] {
	case "sessions", "sequences":
		return true
	case "patterns":
		return model["condition"] == "skipped_step"
	}
	return false
}

// DecodeFrames reads the service's `{"frames":[...]}` answer with the SDK's data-frame JSON codec (field types
// come from schema.fields[].typeInfo.frame). Frames without a refId get refID.
func DecodeFrames(body []byte, refID string) (data.Frames, error) {
	var answer struct {
		Frames []json.RawMessage `json:"frames"`
	}
	if err := json.Unmarshal(body, &answer); err != nil {
		return nil, fmt.Errorf("service answer is not JSON with frames: %w", err)
	}
	if answer.Frames == nil {
		return nil, errors.New("service answer has no frames")
	}
	frames := make(data.Frames, 0, len(answer.Frames))
	for i, raw := range answer.Frames {
		frame := &data.Frame{}
		if err := frame.UnmarshalJSON(raw); err != nil {
			return nil, fmt.Errorf("service answer: frame %d: %w", i, err)
		}
		if frame.RefID == "" {
			frame.RefID = refID
		}
		frames = append(frames, frame)
	}
	return frames, nil
}

// transportErrorResponse describes a call that got no HTTP answer; a cancelled or timed-out context is a timeout.
func transportErrorResponse(ctx context.Context, baseURL string, err error) backend.DataResponse {
	if ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) {
		return backend.ErrDataResponseWithSource(backend.StatusTimeout, backend.ErrorSourceDownstream,
			fmt.Sprintf("API Sessions service at %s did not answer in time: %v", baseURL, err))
	}
	return backend.ErrDataResponseWithSource(backend.StatusBadGateway, backend.ErrorSourceDownstream,
		fmt.Sprintf("service unreachable at %s: %v", baseURL, err))
}
