// Package plugin is the backend of the API Sessions data source: a thin adapter that forwards Grafana queries,
// health checks and variable look-ups to the API Sessions service and decodes the data frames it returns.
package plugin

import (
	"context"
	"fmt"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"
)

// Make sure Datasource implements the handlers Grafana calls and can be disposed.
var (
	_ backend.QueryDataHandler      = (*Datasource)(nil)
	_ backend.CheckHealthHandler    = (*Datasource)(nil)
	_ backend.CallResourceHandler   = (*Datasource)(nil)
	_ instancemgmt.InstanceDisposer = (*Datasource)(nil)
)

// Datasource is one configured instance of the data source.
type Datasource struct {
	settings Settings
	client   *serviceClient
}

// NewDatasource parses the instance settings and returns a Datasource, or an error naming the bad setting.
func NewDatasource(_ context.Context, s backend.DataSourceInstanceSettings) (instancemgmt.Instance, error) {
	settings, err := ParseSettings(s)
	if err != nil {
		return nil, err
	}
	client, err := newServiceClient(settings)
	if err != nil {
		return nil, fmt.Errorf("data source settings: %w", err)
	}
	return &Datasource{settings: settings, client: client}, nil
}

// Dispose releases the instance's idle connections when Grafana replaces the instance after a settings change.
func (d *Datasource) Dispose() {
	d.client.close()
}
