package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// readiness is the body of GET /readyz, as backend/src/storage/readiness.ts writes it (200 and 503 answers):
// {status, opensearch, template?, requests_24h?, message?}. testdata/readyz_*.json hold real answers.
type readiness struct {
	Status      string `json:"status"`
	OpenSearch  string `json:"opensearch"`
	Template    *bool  `json:"template"`
	Requests24h *int64 `json:"requests_24h"`
	Message     string `json:"message"`
}

// CheckHealth calls GET /readyz with the token and says which of these holds: the service cannot be reached, the
// token is refused, the address is locked out after failed authentications, the service is not ready (with the
// service's own reason: OpenSearch unreachable or red, template not installed), or all is well (with the number of
// requests stored in the last 24 h).
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
	case answer.Status == http.StatusTooManyRequests:
		return healthError(fmt.Sprintf("the service refuses this address for %s s: %s (check the query token)",
			retryAfter(answer), parseServiceError(answer).Message)), nil
	case answer.Status == http.StatusServiceUnavailable:
		return healthError("API Sessions service not ready" + notReadyDetail(body, answer)), nil
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

// notReadyDetail is ": <the service's reason>", with the cluster state when the reason does not name OpenSearch,
// e.g. ": index template not installed yet (OpenSearch cluster green)"; an answer without a readiness body falls
// back to its error message.
func notReadyDetail(body readiness, answer serviceResponse) string {
	reason := body.Message
	if reason == "" && body.Status == "" {
		reason = parseServiceError(answer).Message
	}
	if body.OpenSearch != "" && !strings.Contains(strings.ToLower(reason), "opensearch") {
		cluster := "OpenSearch cluster " + body.OpenSearch
		if reason == "" {
			return " (" + cluster + ")"
		}
		reason += " (" + cluster + ")"
	}
	if reason == "" {
		return ""
	}
	return ": " + reason
}

// retryAfter is the answer's Retry-After seconds, or "a few" when it has none.
func retryAfter(answer serviceResponse) string {
	if v := strings.TrimSpace(answer.Header.Get("Retry-After")); v != "" {
		return v
	}
	return "a few"
}

func healthError(message string) *backend.CheckHealthResult {
	return &backend.CheckHealthResult{Status: backend.HealthStatusError, Message: message}
}
