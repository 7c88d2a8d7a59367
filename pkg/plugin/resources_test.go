package plugin

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

type captureSender struct{ got *backend.CallResourceResponse }

func (c *captureSender) Send(r *backend.CallResourceResponse) error {
	c.got = r
	return nil
}

func TestCallResourceValues(t *testing.T) {
	svc := newFakeService(t, func(w http.ResponseWriter, r *http.Request, _ map[string]any) {
		if r.URL.Path == "/v1/values/nope" {
			writeJSON(w, 404, `{"error":{"code":"not_found","message":"unknown field nope"}}`)
			return
		}
		writeJSON(w, 200, `{"values":[{"value":"api.example.com","count":1234}]}`)
	})
	ds := newTestDatasource(t, svc.URL, "")
	sender := &captureSender{}
	err := ds.CallResource(context.Background(), &backend.CallResourceRequest{
		Method: http.MethodGet, Path: "values/host",
		URL: "values/host?prefix=api&from=1764300000000&to=1764321600000&limit=20&other=x",
	}, sender)
	if err != nil {
		t.Fatal(err)
	}
	if sender.got.Status != 200 || string(sender.got.Body) != `{"values":[{"value":"api.example.com","count":1234}]}` {
		t.Fatalf("answer %d %s", sender.got.Status, sender.got.Body)
	}
	seen := svc.requests()[0]
	q, _ := url.ParseQuery(seen.RawQuery)
	if seen.Path != "/v1/values/host" || seen.Auth != "Bearer "+testToken || q.Get("prefix") != "api" ||
		q.Get("from") != "1764300000000" || q.Get("to") != "1764321600000" || q.Get("limit") != "20" || q.Has("other") {
		t.Errorf("forwarded %+v", seen)
	}

	_ = ds.CallResource(context.Background(), &backend.CallResourceRequest{Method: http.MethodGet, Path: "values/nope", URL: "values/nope"}, sender)
	if sender.got.Status != 404 {
		t.Errorf("service 404 must pass through, got %d", sender.got.Status)
	}
}

func TestCallResourceUnknownPaths(t *testing.T) {
	svc := newFakeService(t, func(w http.ResponseWriter, _ *http.Request, _ map[string]any) { writeJSON(w, 200, `{}`) })
	ds := newTestDatasource(t, svc.URL, "")
	for _, req := range []backend.CallResourceRequest{
		{Method: http.MethodGet, Path: "query"},
		{Method: http.MethodGet, Path: "values/"},
		{Method: http.MethodGet, Path: "values/a/b"},
		{Method: http.MethodPost, Path: "values/host"},
	} {
		sender := &captureSender{}
		if err := ds.CallResource(context.Background(), &req, sender); err != nil {
			t.Fatal(err)
		}
		if sender.got.Status != 404 {
			t.Errorf("%s %s: status %d", req.Method, req.Path, sender.got.Status)
		}
	}
	if n := len(svc.requests()); n != 0 {
		t.Errorf("unknown paths must not reach the service (%d calls)", n)
	}
}
