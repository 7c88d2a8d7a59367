//go:build integration

package integration

import (
	"context"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend/grpcplugin"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/hashicorp/go-plugin"
)

// TestExecutableServesGrafanaProtocol builds the plugin executable and drives it the way Grafana does: the
// go-plugin handshake, then CheckHealth and an alert-style QueryData over gRPC with the instance settings in the
// plugin context. This covers pkg/main.go and the settings plumbing that the in-process tests bypass.
func TestExecutableServesGrafanaProtocol(t *testing.T) {
	requireStack(t)
	bin := filepath.Join(t.TempDir(), "gpx_apisessions")
	build := exec.Command("go", "build", "-o", bin, "./pkg")
	build.Dir = stack.root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./pkg: %v\n%s", err, out)
	}
	client := plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig: plugin.HandshakeConfig{
			ProtocolVersion: grpcplugin.ProtocolVersion, MagicCookieKey: grpcplugin.MagicCookieKey,
			MagicCookieValue: grpcplugin.MagicCookieValue,
		},
		Plugins: plugin.PluginSet{
			"data": &grpcplugin.DataGRPCPlugin{}, "diagnostics": &grpcplugin.DiagnosticsGRPCPlugin{},
		},
		Cmd:              exec.Command(bin),
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
	})
	defer client.Kill()
	rpc, err := client.Client()
	if err != nil {
		t.Fatalf("plugin handshake: %v", err)
	}
	diagnostics := dispense[grpcplugin.DiagnosticsClient](t, rpc, "diagnostics")
	dataClient := dispense[grpcplugin.DataClient](t, rpc, "data")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	pc := pluginContext()

	health, err := diagnostics.CheckHealth(ctx, &pluginv2.CheckHealthRequest{PluginContext: pc})
	if err != nil || health.Status != pluginv2.CheckHealthResponse_OK {
		t.Fatalf("CheckHealth over gRPC: err=%v answer=%v", err, health)
	}
	now := time.Now()
	resp, err := dataClient.QueryData(ctx, &pluginv2.QueryDataRequest{PluginContext: pc, Queries: []*pluginv2.DataQuery{{
		RefId: "A", QueryType: "patterns", IntervalMS: 300000, MaxDataPoints: 43200,
		Json:      []byte(`{"refId":"A","queryType":"patterns","condition":"attacks","intervalMs":300000}`),
		TimeRange: &pluginv2.TimeRange{FromEpochMS: now.Add(-6 * time.Hour).UnixMilli(), ToEpochMS: now.UnixMilli()},
	}}})
	if err != nil {
		t.Fatalf("QueryData over gRPC: %v", err)
	}
	answer := resp.Responses["A"]
	if answer == nil || answer.Error != "" {
		t.Fatalf("QueryData over gRPC: answer %v", answer)
	}
	frames, err := data.UnmarshalArrowFrames(answer.Frames)
	if err != nil || len(frames) == 0 || frames[0].TimeSeriesSchema().Type == data.TimeSeriesTypeNot {
		t.Fatalf("frames over gRPC: err=%v count=%d", err, len(frames))
	}
}

// pluginContext is what Grafana sends for a configured API Sessions data source.
func pluginContext() *pluginv2.PluginContext {
	return &pluginv2.PluginContext{
		OrgId: 1, PluginId: "apisessions-sessions-datasource",
		DataSourceInstanceSettings: &pluginv2.DataSourceInstanceSettings{
			Id: 1, Uid: "api-sessions", Name: "API Sessions", LastUpdatedMS: time.Now().UnixMilli(),
			JsonData:                []byte(`{"url":"` + stack.serviceURL + `"}`),
			DecryptedSecureJsonData: map[string]string{"queryToken": queryToken},
		},
	}
}

func dispense[T any](t *testing.T, rpc plugin.ClientProtocol, name string) T {
	t.Helper()
	raw, err := rpc.Dispense(name)
	if err != nil {
		t.Fatalf("dispense %s: %v", name, err)
	}
	c, ok := raw.(T)
	if !ok {
		t.Fatalf("dispense %s: unexpected client type %T", name, raw)
	}
	return c
}
