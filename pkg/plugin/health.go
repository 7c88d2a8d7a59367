package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// readiness is the body of GET /readyz (200 and 503 answers).
type readiness struct {
	Status      string `json:"status"`
	OpenSearch  string `json:"opensearch"`
	Requests24h *int64 `json:"requests_24h"`
	Error       *struct {
		Message string `json:"message"`
	} `json:"error"`
}

// CheckHealth calls GET /readyz with the token and says which of these holds: the service cannot be reached,
// the token is refused, OpenSearch is down, or all is well (with the number of requests stored in the last 24 h).
func (d *Datasource) CheckHealth(ctx context.Context, _ *backend.CheckHealthRequest) (*backend.CheckHealthResult, error) {
	answer, err := d.client.do(ctx, http.MethodGet, "/readyz", nil, nil)
	if err != nil {
		return healthError(fmt.Sprintf("service unreachable at %s: %v", d.settings.URL, err)), nil
	}
	var body readiness
	_ = json.Unmarshal(answer.Body, &body) // a body we cannot read still leaves the status to report
	switch {
	case answer.Status == http.StatusUnauthorized:
		return healthError("token refused by the service (401)"), nil
	case answer.Status == http.StatusServiceUnavailable:
		return healthError("OpenSearch is down: " + unavailableDetail(body, answer)), nil
	case isSuccess(answer.Status):
		n := int64(0)
		if body.Requests24h != nil {
			n = *body.Requests24h
		}
		return &backend.CheckHealthResult{
			Status:  backend.HealthStatusOk,
			Message: fmt.Sprintf("OK: API Sessions service reachable; %d requests stored in the last 24 h", n),
		}, nil
	default:
		return healthError(fmt.Sprintf("unexpected answer from the service at %s: %s",
			d.settings.URL, parseServiceError(answer).Error())), nil
	}
}

// unavailableDetail says why /readyz answered 503, from its opensearch state or error message.
func unavailableDetail(body readiness, answer serviceResponse) string {
	var parts []string
	if body.OpenSearch != "" {
		parts = append(parts, "cluster "+body.OpenSearch)
	}
	if body.Error != nil && body.Error.Message != "" {
		parts = append(parts, body.Error.Message)
	}
	if len(parts) == 0 {
		return parseServiceError(answer).Message
	}
	return strings.Join(parts, "; ")
}

func healthError(message string) *backend.CheckHealthResult {
	return &backend.CheckHealthResult{Status: backend.HealthStatusError, Message: message}
}
