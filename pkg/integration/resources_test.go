//go:build integration

package integration

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

type captureSender struct{ got *backend.CallResourceResponse }

func (c *captureSender) Send(r *backend.CallResourceResponse) error {
	c.got = r
	return nil
}

// TestValuesResource asks for template-variable values the way the frontend does (resource values/<field>).
func TestValuesResource(t *testing.T) {
	ds := requireStack(t)
	to := time.Now().UnixMilli()
	from := to - 6*3600*1000
	url := "values/method?from=" + strconv.FormatInt(from, 10) + "&to=" + strconv.FormatInt(to, 10) + "&limit=5"
	sender := &captureSender{}
	if err := ds.CallResource(context.Background(), &backend.CallResourceRequest{Method: http.MethodGet, Path: "values/method", URL: url}, sender); err != nil {
		t.Fatal(err)
	}
	var body struct {
		Values []struct {
			Value string `json:"value"`
			Count int64  `json:"count"`
		} `json:"values"`
	}
	if sender.got.Status != http.StatusOK || json.Unmarshal(sender.got.Body, &body) != nil || len(body.Values) == 0 {
		t.Fatalf("values/method: %d %s", sender.got.Status, sender.got.Body)
	}
	if body.Values[0].Value == "" || body.Values[0].Count <= 0 {
		t.Errorf("first value %+v", body.Values[0])
	}
}

// TestHealthMessagesAgainstRealService checks the refused-token and unreachable messages with the real service.
func TestHealthMessagesAgainstRealService(t *testing.T) {
	requireStack(t)
	inst, err := newDatasourceWithToken(stack.serviceURL, "not-a-valid-token-0123456789")
	if err != nil {
		t.Fatal(err)
	}
	res, _ := inst.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	if res.Status != backend.HealthStatusError || res.Message != "token refused by the service (401)" {
		t.Errorf("wrong token: %v %q", res.Status, res.Message)
	}
	port, _ := freePort()
	unreachable := "http://127.0.0.1:" + strconv.Itoa(port)
	inst, _ = newDatasourceWithToken(unreachable, queryToken)
	res, _ = inst.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	prefix := "service unreachable at " + unreachable + ": "
	if res.Status != backend.HealthStatusError || len(res.Message) < len(prefix) || res.Message[:len(prefix)] != prefix {
		t.Errorf("unreachable: %v %q", res.Status, res.Message)
	}
}
