//go:build integration

package integration

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"go.yaml.in/yaml/v3"
)

// alertRules is the part of provisioning/alerting/rules.yaml we run: each rule's queries.
type alertRules struct {
	Groups []struct {
		Rules []struct {
			UID   string `yaml:"uid"`
			Title string `yaml:"title"`
			Data  []struct {
				RefID         string         `yaml:"refId"`
				DatasourceUID string         `yaml:"datasourceUid"`
				Model         map[string]any `yaml:"model"`
			} `yaml:"data"`
		} `yaml:"rules"`
	} `yaml:"groups"`
}

// TestProvisionedAlertRulesRunThroughQueryData runs the data-source query of every provisioned alert rule the way
// Grafana Alerting does (the rule's model, no dashboard variables) over the demo's hours, and expects numeric time
// series with at least one session counted: every rule describes something the demo traffic does.
func TestProvisionedAlertRulesRunThroughQueryData(t *testing.T) {
	requireStack(t)
	raw, err := os.ReadFile(filepath.Join(stack.root, "provisioning", "alerting", "rules.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var file alertRules
	if err := yaml.Unmarshal(raw, &file); err != nil {
		t.Fatalf("rules.yaml: %v", err)
	}
	count := 0
	for _, group := range file.Groups {
		for _, rule := range group.Rules {
			for _, q := range rule.Data {
				if q.DatasourceUID != "api-sessions" {
					continue
				}
				count++
				t.Run(rule.UID, func(t *testing.T) { runAlertQuery(t, q.RefID, q.Model) })
			}
		}
	}
	if count < 4 {
		t.Fatalf("expected at least 4 rules on the api-sessions data source, found %d", count)
	}
}

func runAlertQuery(t *testing.T, refID string, model map[string]any) {
	// lastHours sends the model as JSON and would drop an encoding error: a model YAML cannot express as JSON fails here.
	if _, err := json.Marshal(model); err != nil {
		t.Fatalf("model is not JSON-encodable: %v", err)
	}
	// Grafana sends the rule's intervalMs as the query interval.
	interval := time.Minute
	if ms, ok := model["intervalMs"].(int); ok && ms > 0 {
		interval = time.Duration(ms) * time.Millisecond
	}
	resp := runQueries(t, lastHours(refID, 6, interval, model))
	res := resp.Responses[refID]
	if res.Error != nil {
		t.Fatalf("rule query failed: %v", res.Error)
	}
	total := 0.0
	for _, f := range res.Frames {
		if f.TimeSeriesSchema().Type == data.TimeSeriesTypeNot {
			t.Fatalf("frame %q is not a numeric time series: %s", f.Name, describe(f))
		}
		total += sumNumbers(f)
	}
	if total <= 0 {
		t.Errorf("no session met the rule's condition in 6 hours of demo traffic (interval %s): %s", interval, describe(res.Frames[0]))
	}
}
