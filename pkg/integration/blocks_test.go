//go:build integration

package integration

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/api-sessions/api-sessions/pkg/plugin"
)

// blockingDatasource is the plugin instance with the admin token set, as the ConfigEditor saves it.
func blockingDatasource(t *testing.T) *plugin.Datasource {
	t.Helper()
	requireStack(t)
	inst, err := plugin.NewDatasource(context.Background(), backend.DataSourceInstanceSettings{
		JSONData:                []byte(`{"url":"` + stack.serviceURL + `"}`),
		DecryptedSecureJSONData: map[string]string{"queryToken": queryToken, "adminToken": adminToken},
	})
	if err != nil {
		t.Fatal(err)
	}
	ds := inst.(*plugin.Datasource)
	t.Cleanup(ds.Dispose)
	return ds
}

// resource calls a plugin resource as a Grafana user with an org role.
func resource(t *testing.T, ds *plugin.Datasource, role, method, rawURL string) (int, map[string]any) {
	t.Helper()
	u, _ := url.Parse(rawURL)
	sender := &captureSender{}
	req := &backend.CallResourceRequest{
		PluginContext: backend.PluginContext{User: &backend.User{Login: "alice", Role: role}},
		Method:        method, Path: u.Path, URL: rawURL,
	}
	if err := ds.CallResource(context.Background(), req, sender); err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	_ = json.Unmarshal(sender.got.Body, &body)
	return sender.got.Status, body
}

// decide asks the service's decision endpoint the way nginx does for a client address.
func decide(t *testing.T, clientIP string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, stack.serviceURL+"/v1/decision", nil)
	req.Header.Set("X-Decision-Token", decisionToken)
	req.Header.Set("X-Real-IP", clientIP)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode, res.Header.Get("X-Block-Id")
}

// TestBlockFromGrafana is "Block this session" end to end through the plugin: an Editor blocks a demo session and
// a demo client IP with the panel action's parameters, the decision endpoint answers 403 for that IP, the Blocks
// query type lists both with the Grafana user, a Viewer cannot end them, an Editor ends one and it is allowed again.
func TestBlockFromGrafana(t *testing.T) {
	ds := blockingDatasource(t)
	// A real client IP of the demo traffic: the top one of a breakdown by client_ip.
	top := runQueries(t, lastHours("I", 6, time.Minute, map[string]any{"queryType": "breakdown", "by": "client_ip", "limit": 1}))
	res := top.Responses["I"]
	if res.Error != nil || len(res.Frames) == 0 || res.Frames[0].Rows() == 0 {
		t.Fatalf("no demo client IP: %v", res.Error)
	}
	value, _ := res.Frames[0].FieldByName("value")
	ipValue, _ := value.ConcreteAt(0)
	ip := ipValue.(string)
	session := sessionVariables(t)["session_id"]

	status, byIP := resource(t, ds, "Editor", http.MethodPost,
		"blocks?client_ip="+url.QueryEscape(ip)+"&reason="+url.QueryEscape("scanning from Grafana")+"&expires_in_minutes=10")
	if status != http.StatusCreated || byIP["created_by"] != "grafana" || byIP["requested_by"] != "grafana:alice" {
		t.Fatalf("block the IP: %d %v", status, byIP)
	}
	status, bySession := resource(t, ds, "Admin", http.MethodPost, "blocks?session_id="+session+"&reason=takeover")
	if status != http.StatusCreated {
		t.Fatalf("block the session: %d %v", status, bySession)
	}
	if code, id := decide(t, ip); code != http.StatusForbidden || id != byIP["id"] {
		t.Fatalf("decision for the blocked IP: %d %q", code, id)
	}

	resp := runQueries(t, lastHours("B", 1, time.Minute, map[string]any{"queryType": "blocks", "state": "active", "limit": 100}))
	res = resp.Responses["B"]
	if res.Error != nil || len(res.Frames) == 0 {
		t.Fatalf("blocks query: %v", res.Error)
	}
	ids, _ := res.Frames[0].FieldByName("id")
	by, _ := res.Frames[0].FieldByName("created_by")
	found := 0
	for i := 0; i < res.Frames[0].Rows(); i++ {
		id, _ := ids.ConcreteAt(i)
		if id == byIP["id"] || id == bySession["id"] {
			found++
			if who, _ := by.ConcreteAt(i); who != "grafana (grafana:alice)" {
				t.Errorf("created_by %v", who)
			}
		}
	}
	if found != 2 {
		t.Fatalf("the Blocks query lists %d of the 2 new blocks", found)
	}

	if status, body := resource(t, ds, "Viewer", http.MethodDelete, "blocks/"+byIP["id"].(string)+"?reason=x"); status != http.StatusForbidden {
		t.Fatalf("a Viewer ended a block: %d %v", status, body)
	}
	// The Blocks panel's "End this block" action (Grafana's actions may only POST).
	status, ended := resource(t, ds, "Editor", http.MethodPost, "blocks/"+byIP["id"].(string)+"/end?reason="+url.QueryEscape("false positive"))
	if status != http.StatusOK || ended["state"] != "ended" || ended["ended_requested_by"] != "grafana:alice" || ended["end_reason"] != "false positive" {
		t.Fatalf("end: %d %v", status, ended)
	}
	if code, _ := decide(t, ip); code != http.StatusNoContent {
		t.Fatalf("decision after the end: %d", code)
	}
	resource(t, ds, "Editor", http.MethodDelete, "blocks/"+bySession["id"].(string)+"?reason=cleanup")
}
