package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// valuesParams are the query parameters forwarded to GET /v1/values/{field}.
var valuesParams = []string{"prefix", "from", "to", "limit"}

// CallResource serves GET values/<field>?prefix=&from=&to=&limit= by proxying GET /v1/values/<field> of the
// service with the token and returning its JSON and status. Any other path or method gets 404.
func (d *Datasource) CallResource(ctx context.Context, req *backend.CallResourceRequest, sender backend.CallResourceResponseSender) error {
	field, ok := strings.CutPrefix(strings.Trim(req.Path, "/"), "values/")
	if !ok || field == "" || strings.Contains(field, "/") || req.Method != http.MethodGet {
		return sendJSONError(sender, http.StatusNotFound, "not_found", fmt.Sprintf("no resource %s %s", req.Method, req.Path))
	}
	query := url.Values{}
	if u, err := url.Parse(req.URL); err == nil {
		for _, name := range valuesParams {
			if v := u.Query().Get(name); v != "" {
				query.Set(name, v)
			}
		}
	}
	answer, err := d.client.do(ctx, http.MethodGet, "/v1/values/"+url.PathEscape(field), query, nil)
	if err != nil {
		return sendJSONError(sender, http.StatusBadGateway, "service_unreachable",
			fmt.Sprintf("service unreachable at %s: %v", d.settings.URL, err))
	}
	return sender.Send(&backend.CallResourceResponse{
		Status:  answer.Status,
		Headers: map[string][]string{"Content-Type": {"application/json"}},
		Body:    answer.Body,
	})
}

// sendJSONError answers with the service's error body shape, so the frontend reads one format.
func sendJSONError(sender backend.CallResourceResponseSender, status int, code, message string) error {
	body, _ := json.Marshal(map[string]any{"error": map[string]string{"code": code, "message": message}})
	return sender.Send(&backend.CallResourceResponse{
		Status:  status,
		Headers: map[string][]string{"Content-Type": {"application/json"}},
		Body:    body,
	})
}
