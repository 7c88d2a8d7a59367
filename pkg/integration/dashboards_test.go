//go:build integration

package integration

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// dashboardPanel is the part of a dashboard panel we run; rows nest panels.
type dashboardPanel struct {
	Title   string            `json:"title"`
	Type    string            `json:"type"`
	Targets []json.RawMessage `json:"targets"`
	Panels  []dashboardPanel  `json:"panels"`
}

// dashboard is the part of a dashboard file we read: panels and the variables' default values.
type dashboard struct {
	Panels     []dashboardPanel `json:"panels"`
	Templating struct {
		List []struct {
			Name    string `json:"name"`
			Current struct {
				Value json.RawMessage `json:"value"`
			} `json:"current"`
		} `json:"list"`
	} `json:"templating"`
}

// defaults returns each variable's current value as Grafana would interpolate it; a multi-value variable is
// comma-joined (the csv format the dashboards use for it).
func (d dashboard) defaults() map[string]string {
	out := map[string]string{}
	for _, v := range d.Templating.List {
		var one string
		var many []string
		switch {
		case json.Unmarshal(v.Current.Value, &one) == nil:
			out[v.Name] = one
		case json.Unmarshal(v.Current.Value, &many) == nil:
			out[v.Name] = strings.Join(many, ",")
		}
	}
	return out
}

// TestDashboardPanelsRunThroughQueryData runs every target of every bundled dashboard through QueryData with the
// template variables a user would have (each dashboard's defaults, and $session/$start/$end of a real session
// part) and expects frames with rows.
func TestDashboardPanelsRunThroughQueryData(t *testing.T) {
	requireStack(t)
	files, _ := filepath.Glob(filepath.Join(stack.root, "src", "dashboards", "*.json"))
	if len(files) == 0 {
		t.Fatalf("no dashboards found in %s (written by the frontend work): nothing to check", filepath.Join(stack.root, "src/dashboards"))
	}
	vars := sessionVariables(t)
	for _, file := range files {
		var dash dashboard
		raw, err := os.ReadFile(file)
		if err != nil || json.Unmarshal(raw, &dash) != nil {
			t.Fatalf("%s: unreadable dashboard JSON (%v)", file, err)
		}
		dashVars := dash.defaults()
		for k, v := range vars {
			dashVars[k] = v
		}
		for _, panel := range flattenPanels(dash.Panels) {
			for i, target := range panel.Targets {
				name := fmt.Sprintf("%s/%s/%d", filepath.Base(file), panel.Title, i)
				t.Run(name, func(t *testing.T) { runDashboardTarget(t, target, dashVars) })
			}
		}
	}
}

func runDashboardTarget(t *testing.T, target json.RawMessage, vars map[string]string) {
	var model map[string]any
	if err := json.Unmarshal(target, &model); err != nil {
		t.Fatalf("target JSON: %v", err)
	}
	model = interpolate(model, vars)
	refID, _ := model["refId"].(string)
	if refID == "" {
		refID = "A"
	}
	resp := runQueries(t, lastHours(refID, 6, time.Minute, model))
	res := resp.Responses[refID]
	if res.Error != nil {
		t.Fatalf("query %v failed: %v", model, res.Error)
	}
	if len(res.Frames) == 0 || !anyRows(res.Frames) {
		t.Fatalf("query %v returned no rows (%d frames)", model, len(res.Frames))
	}
}

// sessionVariables picks a real session part with attacks and returns session/start/end as the dashboard
// variables would carry them (start/end in epoch ms).
func sessionVariables(t *testing.T) map[string]string {
	resp := runQueries(t, lastHours("S", 6, time.Minute, map[string]any{"queryType": "sessions", "sort": "attacks", "limit": 5}))
	res := resp.Responses["S"]
	if res.Error != nil || len(res.Frames) == 0 || res.Frames[0].Rows() == 0 {
		t.Fatalf("sessions query for the dashboard variables: err=%v frames=%d", res.Error, len(res.Frames))
	}
	f := res.Frames[0]
	vars := map[string]string{}
	for _, name := range []string{"session_id", "start", "end"} {
		field, idx := f.FieldByName(name)
		if idx < 0 {
			t.Fatalf("sessions frame has no %s field: %s", name, describe(f))
		}
		v, ok := field.ConcreteAt(0)
		if !ok {
			t.Fatalf("sessions frame: %s is null in the first row", name)
		}
		switch x := v.(type) {
		case time.Time:
			vars[name] = strconv.FormatInt(x.UnixMilli(), 10)
		default:
			vars[name] = fmt.Sprint(x)
		}
	}
	vars["session"] = vars["session_id"]
	return vars
}

var templateVar = regexp.MustCompile(`\$\{(\w+)(?::[^}]*)?\}|\$(\w+)|\[\[(\w+)\]\]`)

// numericKeys are the keys the frontend turns into numbers after interpolation (src/data/interpolate.ts NUMERIC).
var numericKeys = map[string]bool{"start": true, "end": true, "status": true, "idle_timeout_minutes": true}

// interpolate mirrors the frontend's applyTemplateVariables: variables in string values are replaced (unknown
// ones by ""), values that end up empty are dropped, and numeric start/end/status become numbers.
func interpolate(model map[string]any, vars map[string]string) map[string]any {
	out := map[string]any{}
	for key, value := range model {
		s, ok := value.(string)
		if !ok || key == "refId" || key == "queryType" {
			out[key] = value
			continue
		}
		replaced := templateVar.ReplaceAllStringFunc(s, func(m string) string {
			sub := templateVar.FindStringSubmatch(m)
			return vars[sub[1]+sub[2]+sub[3]]
		})
		if replaced == "" {
			continue
		}
		if n, err := strconv.ParseInt(replaced, 10, 64); err == nil && numericKeys[key] {
			out[key] = n
			continue
		}
		out[key] = replaced
	}
	return out
}

func flattenPanels(panels []dashboardPanel) []dashboardPanel {
	var out []dashboardPanel
	for _, p := range panels {
		out = append(out, p)
		out = append(out, flattenPanels(p.Panels)...)
	}
	return out
}

func anyRows(frames data.Frames) bool {
	for _, f := range frames {
		if f.Rows() > 0 {
			return true
		}
	}
	return false
}
