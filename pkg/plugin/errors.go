package plugin

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// ServiceError is a non-2xx answer of the service, carrying its `error.code` and `error.message`.
type ServiceError struct {
	Status  int
	Code    string
	Message string
}

// Error returns the service's message, prefixed with the HTTP status.
func (e *ServiceError) Error() string {
	return fmt.Sprintf("API Sessions service (%d): %s", e.Status, e.Message)
}

// parseServiceError turns a non-2xx answer into a ServiceError. It reads the documented
// `{"error":{"code","message"}}` body and falls back to the start of the raw body or the status text.
func parseServiceError(resp serviceResponse) *ServiceError {
	var body struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	out := &ServiceError{Status: resp.Status}
	if json.Unmarshal(resp.Body, &body) == nil && body.Error.Message != "" {
		out.Code, out.Message = body.Error.Code, body.Error.Message
		return out
	}
	out.Message = strings.TrimSpace(string(resp.Body))
	if len(out.Message) > 300 {
		out.Message = out.Message[:300] + "…"
	}
	if out.Message == "" {
		out.Message = http.StatusText(resp.Status)
	}
	return out
}

// isSuccess reports whether status is a 2xx status.
func isSuccess(status int) bool {
	return status >= 200 && status < 300
}
