package plugin

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

const testAdminToken = "admin-token-0123456789"

// newBlockingDatasource is a Datasource with the query token and, when admin is true, the admin token.
func newBlockingDatasource(t *testing.T, serviceURL string, admin bool) *Datasource {
	t.Helper()
	secure := map[string]string{"queryToken": testToken}
	if admin {
		secure["adminToken"] = testAdminToken
	}
	inst, err := NewDatasource(context.Background(), backend.DataSourceInstanceSettings{
		JSONData:                []byte(`{"url":"` + serviceURL + `"}`),
		DecryptedSecureJSONData: secure,
	})
	if err != nil {
		t.Fatal(err)
	}
	ds := inst.(*Datasource)
	t.Cleanup(ds.Dispose)
	return ds
}

func userCtx(login, role string) backend.PluginContext {
	return backend.PluginContext{User: &backend.User{Login: login, Role: role}}
}

func call(t *testing.T, ds *Datasource, req backend.CallResourceRequest) *backend.CallResourceResponse {
	t.Helper()
	sender := &captureSender{}
	if err := ds.CallResource(context.Background(), &req, sender); err != nil {
		t.Fatal(err)
	}
	return sender.got
}

func TestCreateBlockFromPanelActionParameters(t *testing.T) {
	svc := newFakeService(t, func(w http.ResponseWriter, _ *http.Request, _ map[string]any) {
		writeJSON(w, 201, `{"id":"blk_x","state":"active"}`)
	})
	ds := newBlockingDatasource(t, svc.URL, true)
	got := call(t, ds, backend.CallResourceRequest{
		PluginContext: userCtx("alice", "Editor"), Method: http.MethodPost, Path: "blocks", Body: []byte("{}"),
		URL: "blocks?session_id=" + url.QueryEscape("ab12") + "&reason=" + url.QueryEscape(`takeover "attempt"`) +
			"&expires_in_minutes=30&host=api.example.com&requested_by=mallory&app=%24app",
	})
	if got.Status != 201 || string(got.Body) != `{"id":"blk_x","state":"active"}` {
		t.Fatalf("answer %d %s", got.Status, got.Body)
	}
	seen := svc.requests()[0]
	if seen.Method != http.MethodPost || seen.Path != "/v1/blocks" || seen.Auth != "Bearer "+testAdminToken {
		t.Fatalf("forwarded %+v", seen)
	}
	target, _ := seen.Body["target"].(map[string]any)
	if target["session_id"] != "ab12" || seen.Body["reason"] != `takeover "attempt"` || seen.Body["expires_in_minutes"] != float64(30) ||
		seen.Body["host"] != "api.example.com" || seen.Body["requested_by"] != "grafana:alice" {
		t.Errorf("body %+v", seen.Body)
	}
	if _, ok := seen.Body["app"]; ok {
		t.Errorf("an unfilled action variable ($app) must count as absent: %+v", seen.Body)
	}
}

func TestCreateBlockFromJSONBodyNamesTheGrafanaUser(t *testing.T) {
	svc := newFakeService(t, func(w http.ResponseWriter, _ *http.Request, _ map[string]any) {
		writeJSON(w, 400, `{"error":{"code":"invalid_block","message":"reason: must not be empty"}}`)
	})
	ds := newBlockingDatasource(t, svc.URL, true)
	got := call(t, ds, backend.CallResourceRequest{
		PluginContext: userCtx("root", "Admin"), Method: http.MethodPost, Path: "blocks",
		Body: []byte(`{"target":{"client_ip":"203.0.113.0/24"},"reason":"","requested_by":"someone-else"}`),
	})
	if got.Status != 400 {
		t.Fatalf("the service's 400 must pass through, got %d", got.Status)
	}
	body := svc.requests()[0].Body
	if body["requested_by"] != "grafana:root" || body["reason"] != "" {
		t.Errorf("body %+v", body)
	}
}

func TestBlockChangesNeedTheAdminTokenAndAnEditor(t *testing.T) {
	svc := newFakeService(t, func(w http.ResponseWriter, _ *http.Request, _ map[string]any) { writeJSON(w, 200, `{}`) })
	withAdmin := newBlockingDatasource(t, svc.URL, true)
	without := newBlockingDatasource(t, svc.URL, false)
	cases := []struct {
		ds     *Datasource
		req    backend.CallResourceRequest
		status int
		code   string
	}{
		{without, backend.CallResourceRequest{PluginContext: userCtx("a", "Admin"), Method: http.MethodPost, Path: "blocks", URL: "blocks?user=x"}, 403, "blocking_not_configured"},
		{withAdmin, backend.CallResourceRequest{PluginContext: userCtx("v", "Viewer"), Method: http.MethodPost, Path: "blocks", URL: "blocks?user=x"}, 403, "forbidden"},
		{withAdmin, backend.CallResourceRequest{Method: http.MethodDelete, Path: "blocks/blk_1"}, 403, "forbidden"},
		{withAdmin, backend.CallResourceRequest{PluginContext: userCtx("e", "Editor"), Method: http.MethodDelete, Path: "blocks/bad id"}, 400, "invalid_block"},
		{withAdmin, backend.CallResourceRequest{PluginContext: userCtx("e", "Editor"), Method: http.MethodPost, Path: "blocks", URL: "blocks?user=x&expires_in_minutes=soon"}, 400, "invalid_block"},
		{withAdmin, backend.CallResourceRequest{PluginContext: userCtx("e", "Editor"), Method: http.MethodPost, Path: "blocks", Body: []byte(`[1]`)}, 400, "invalid_block"},
		{withAdmin, backend.CallResourceRequest{PluginContext: userCtx("e", "Editor"), Method: http.MethodPut, Path: "blocks"}, 404, "not_found"},
	}
	for i, tc := range cases {
		got := call(t, tc.ds, tc.req)
		if got.Status != tc.status || !contains(string(got.Body), `"code":"`+tc.code+`"`) {
			t.Errorf("case %d: %d %s", i, got.Status, got.Body)
		}
	}
	if n := len(svc.requests()); n != 0 {
		t.Errorf("refused changes must not reach the service (%d calls)", n)
	}
}

func TestEndAndListBlocks(t *testing.T) {
	svc := newFakeService(t, func(w http.ResponseWriter, _ *http.Request, _ map[string]any) { writeJSON(w, 200, `{"blocks":[]}`) })
	ds := newBlockingDatasource(t, svc.URL, true)
	if got := call(t, ds, backend.CallResourceRequest{PluginContext: userCtx("bob", "Editor"), Method: http.MethodDelete,
		Path: "blocks/blk_abc", URL: "blocks/blk_abc?reason=false+positive"}); got.Status != 200 {
		t.Fatalf("end: %d %s", got.Status, got.Body)
	}
	if got := call(t, ds, backend.CallResourceRequest{PluginContext: userCtx("v", "Viewer"), Method: http.MethodGet,
		Path: "blocks", URL: "blocks?state=all&limit=5&other=1"}); got.Status != 200 {
		t.Fatalf("list: %d %s", got.Status, got.Body)
	}
	if got := call(t, ds, backend.CallResourceRequest{PluginContext: userCtx("bob", "Editor"), Method: http.MethodPost,
		Path: "blocks/blk_def/end", URL: "blocks/blk_def/end?reason=%24reason"}); got.Status != 200 {
		t.Fatalf("end by POST: %d %s", got.Status, got.Body)
	}
	end, list, endByPost := svc.requests()[0], svc.requests()[1], svc.requests()[2]
	if endByPost.Method != http.MethodDelete || endByPost.Path != "/v1/blocks/blk_def" || endByPost.Body["reason"] != defaultEndReason {
		t.Errorf("end by POST forwarded %+v", endByPost)
	}
	if end.Method != http.MethodDelete || end.Path != "/v1/blocks/blk_abc" || end.Auth != "Bearer "+testAdminToken ||
		end.Body["reason"] != "false positive" || end.Body["requested_by"] != "grafana:bob" {
		t.Errorf("end forwarded %+v", end)
	}
	q, _ := url.ParseQuery(list.RawQuery)
	if list.Path != "/v1/blocks" || list.Auth != "Bearer "+testToken || q.Get("state") != "all" || q.Get("limit") != "5" || q.Has("other") {
		t.Errorf("list forwarded %+v", list)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func TestSettingsReadTheOptionalAdminToken(t *testing.T) {
	s, err := ParseSettings(backend.DataSourceInstanceSettings{
		JSONData:                []byte(`{"url":"http://x","adminToken":"in-json-is-ignored"}`),
		DecryptedSecureJSONData: map[string]string{"queryToken": "q", "adminToken": " a "},
	})
	if err != nil || s.AdminToken != "a" {
		t.Fatalf("admin token %q, err %v", s.AdminToken, err)
	}
	s, _ = ParseSettings(backend.DataSourceInstanceSettings{JSONData: []byte(`{"url":"http://x"}`), DecryptedSecureJSONData: map[string]string{"queryToken": "q"}})
	if s.AdminToken != "" {
		t.Fatalf("no admin token configured, got %q", s.AdminToken)
	}
}
