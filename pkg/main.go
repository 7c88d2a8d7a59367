// Command gpx_apisessions is the backend of the API Sessions Grafana data source.
package main

import (
	"os"

	"github.com/grafana/grafana-plugin-sdk-go/backend/datasource"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/api-sessions/api-sessions/pkg/plugin"
)

func main() {
	if err := datasource.Manage("apisessions-sessions-datasource", plugin.NewDatasource, datasource.ManageOpts{}); err != nil {
		log.DefaultLogger.Error("plugin stopped", "error", err.Error())
		os.Exit(1)
	}
}
