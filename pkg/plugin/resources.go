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

// CallResource routes the plugin's resources: GET values/<field>?prefix=&from=&to=&limit= (proxied to
// GET /v1/values/<field>) and the block resources of blocks.go. Any other path or method gets 404.
func (d *Datasource) CallResource(ctx context.Context, req *backend.CallResourceRequest, sender backend.CallResourceResponseSender) error {
	path := strings.Trim(req.Path, "/")
	switch {
	case path == "blocks" && req.Method == http.MethodGet:
		return d.listBlocks(ctx, req, sender)
	case path == "blocks" && req.Method == http.MethodPost:
		return d.createBlock(ctx, req, sender)
	case strings.HasPrefix(path, "blocks/") && req.Method == http.MethodDelete:
		return d.endBlock(ctx, req, sender, strings.TrimPrefix(path, "blocks/"))
	case strings.HasPrefix(path, "blocks/") && strings.HasSuffix(path, "/end") && req.Method == http.MethodPost:
		return d.endBlock(ctx, req, sender, strings.TrimSuffix(strings.TrimPrefix(path, "blocks/"), "/end"))
	}
	field, ok := strings.CutPrefix(path, "values/")
	if !ok || field == "" || strings.Contains(field, "/") || req.Method != http.MethodGet {
		return sendJSONError(sender, http.StatusNotFound, "not_found", fmt.Sprintf("no resource %s %s", req.Method, req.Path))
	}
	query := url.Values{}
	for name, v := range queryOf(req) {
		for _, allowed := range valuesParams {
			if name == allowed && len(v) > 0 && v[0] != "" {
				query.Set(name, v[0])
			}
		}
	}
	answer, err := d.client.do(ctx, http.MethodGet, "/v1/values/"+url.PathEscape(field), query, nil)
	return d.forward(sender, answer, err)
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
