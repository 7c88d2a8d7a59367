package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// Block resources (docs/integrations/blocking.md, "From Grafana"):
//
//	GET    blocks?state=&limit=         → GET /v1/blocks (query token; any user who may query the data source)
//	POST   blocks (JSON body or ?…)     → POST /v1/blocks (admin token; Grafana Editor or Admin)
//	DELETE blocks/<id>?reason=          → DELETE /v1/blocks/<id> (admin token; Grafana Editor or Admin)
//	POST   blocks/<id>/end?reason=      → the same (Grafana's panel actions may only POST or PUT to Grafana's API)
//
// Block changes carry requested_by = "grafana:<login>" of the Grafana user, so the block's history names the person
// as well as the admin token's label. A panel action (a fetch action has no JSON escaping for user-typed values)
// sends the block as query parameters: session_id | client_ip | user, host, app, reason, expires_in_minutes, mode.
// An action variable the user left empty may arrive as its own name (`$reason`): such values count as absent.

// blockListParams are forwarded to GET /v1/blocks.
var blockListParams = []string{"state", "limit"}

// blockIDPattern is the shape of the service's block ids.
var blockIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

const (
	defaultCreateReason = "Blocked from Grafana"
	defaultEndReason    = "Ended from Grafana"
)

// listBlocks proxies GET /v1/blocks with the query token.
func (d *Datasource) listBlocks(ctx context.Context, req *backend.CallResourceRequest, sender backend.CallResourceResponseSender) error {
	query := url.Values{}
	for name, v := range queryOf(req) {
		for _, allowed := range blockListParams {
			if name == allowed && len(v) > 0 {
				query.Set(name, v[0])
			}
		}
	}
	answer, err := d.client.do(ctx, http.MethodGet, "/v1/blocks", query, nil)
	return d.forward(sender, answer, err)
}

// createBlock proxies POST /v1/blocks with the admin token, for Grafana editors and admins.
func (d *Datasource) createBlock(ctx context.Context, req *backend.CallResourceRequest, sender backend.CallResourceResponseSender) error {
	login, denied := d.blockChanger(req)
	if denied != nil {
		return sendJSONError(sender, denied.status, denied.code, denied.message)
	}
	body, err := createBlockBody(req)
	if err != nil {
		return sendJSONError(sender, http.StatusBadRequest, "invalid_block", err.Error())
	}
	body["requested_by"] = "grafana:" + login
	raw, _ := json.Marshal(body)
	answer, err := d.client.doAs(ctx, d.settings.AdminToken, http.MethodPost, "/v1/blocks", nil, raw)
	return d.forward(sender, answer, err)
}

// endBlock proxies DELETE /v1/blocks/<id> with the admin token, for Grafana editors and admins.
func (d *Datasource) endBlock(ctx context.Context, req *backend.CallResourceRequest, sender backend.CallResourceResponseSender, id string) error {
	login, denied := d.blockChanger(req)
	if denied != nil {
		return sendJSONError(sender, denied.status, denied.code, denied.message)
	}
	if !blockIDPattern.MatchString(id) {
		return sendJSONError(sender, http.StatusBadRequest, "invalid_block", "id: is not a block id")
	}
	reason := param(queryOf(req), "reason")
	if reason == "" && len(req.Body) > 0 {
		var b struct {
			Reason string `json:"reason"`
		}
		if json.Unmarshal(req.Body, &b) == nil {
			reason = strings.TrimSpace(b.Reason)
		}
	}
	if reason == "" {
		reason = defaultEndReason
	}
	raw, _ := json.Marshal(map[string]string{"reason": reason, "requested_by": "grafana:" + login})
	answer, err := d.client.doAs(ctx, d.settings.AdminToken, http.MethodDelete, "/v1/blocks/"+url.PathEscape(id), nil, raw)
	return d.forward(sender, answer, err)
}

// denial is why a block change is refused before reaching the service.
type denial struct {
	status        int
	code, message string
}

// blockChanger returns the Grafana login allowed to change blocks, or why not: the admin token must be set in the
// data source settings, and the user must be an Editor or Admin of the organisation.
func (d *Datasource) blockChanger(req *backend.CallResourceRequest) (string, *denial) {
	if d.settings.AdminToken == "" {
		return "", &denial{http.StatusForbidden, "blocking_not_configured",
			"blocking from Grafana is off: set the admin token (one of the service's ADMIN_TOKENS) in the data source settings"}
	}
	user := req.PluginContext.User
	if user == nil || (user.Role != "Admin" && user.Role != "Editor") {
		return "", &denial{http.StatusForbidden, "forbidden", "only Grafana Editors and Admins may create or end blocks"}
	}
	login := user.Login
	if login == "" {
		login = user.Email
	}
	return login, nil
}

// createBlockBody is the JSON body of the request when it has one, else the block built from query parameters.
func createBlockBody(req *backend.CallResourceRequest) (map[string]any, error) {
	if trimmed := strings.TrimSpace(string(req.Body)); trimmed != "" && trimmed != "{}" {
		var body map[string]any
		if err := json.Unmarshal(req.Body, &body); err != nil || body == nil {
			return nil, fmt.Errorf("(body): must be a JSON object")
		}
		return body, nil
	}
	q := queryOf(req)
	target := map[string]any{}
	for _, name := range []string{"session_id", "client_ip", "user"} {
		if v := param(q, name); v != "" {
			target[name] = v
		}
	}
	body := map[string]any{"target": target}
	for _, name := range []string{"host", "app", "mode"} {
		if v := param(q, name); v != "" {
			body[name] = v
		}
	}
	body["reason"] = defaultCreateReason
	if v := param(q, "reason"); v != "" {
		body["reason"] = v
	}
	if v := param(q, "expires_in_minutes"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return nil, fmt.Errorf("expires_in_minutes: must be a whole number of minutes")
		}
		body["expires_in_minutes"] = n
	}
	return body, nil
}

// unfilledVariable is an action variable that reached us uninterpolated (`$minutes`).
var unfilledVariable = regexp.MustCompile(`^\$\w+$`)

// param is a trimmed query parameter; empty when absent or an unfilled action variable.
func param(q url.Values, name string) string {
	v := strings.TrimSpace(q.Get(name))
	if unfilledVariable.MatchString(v) {
		return ""
	}
	return v
}

// queryOf parses the query string of a resource request's URL.
func queryOf(req *backend.CallResourceRequest) url.Values {
	if u, err := url.Parse(req.URL); err == nil {
		return u.Query()
	}
	return url.Values{}
}

// forward sends the service's answer back as it is, or 502 when the service could not be reached.
func (d *Datasource) forward(sender backend.CallResourceResponseSender, answer serviceResponse, err error) error {
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
