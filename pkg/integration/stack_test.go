//go:build integration

package integration

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/api-sessions/api-sessions/pkg/plugin"
)

const (
	ingestToken = "gotest-ingest-token-0123456789"
	queryToken  = "gotest-query-token-0123456789"
	// adminToken is labelled "grafana" in ADMIN_TOKENS: block changes through the plugin name that label.
	adminToken    = "gotest-admin-token-0123456789"
	decisionToken = "gotest-decision-token-0123456789"
	openSearchUp  = 5 * time.Minute // the first run may resolve the OpenSearch jars
	serviceUp     = 2 * time.Minute
	demoLoad      = 5 * time.Minute
)

// stack is what TestMain started; every test reads it.
var stack struct {
	root       string
	serviceURL string
	ds         *plugin.Datasource
	setupErr   error // non-nil: every test fails with this message
}

// TestMain starts OpenSearch, the service and the demo traffic once, runs the tests, and stops every child
// process group. A missing piece never skips: the tests fail with the setup error.
func TestMain(m *testing.M) {
	logDir, err := os.MkdirTemp("", "api-sessions-gotest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	children, err := startStack(logDir)
	stack.setupErr = err
	code := m.Run()
	for i := len(children) - 1; i >= 0; i-- {
		children[i].stop()
	}
	if code == 0 {
		_ = os.RemoveAll(logDir)
	} else {
		fmt.Fprintf(os.Stderr, "integration logs kept in %s\n", logDir)
	}
	os.Exit(code)
}

// requireStack fails the test when the stack could not be started.
func requireStack(t *testing.T) *plugin.Datasource {
	t.Helper()
	if stack.setupErr != nil {
		t.Fatalf("integration stack not started: %v", stack.setupErr)
	}
	return stack.ds
}

// startStack starts OpenSearch, then the service, then loads demo traffic; it returns the long-running children.
func startStack(logDir string) ([]*child, error) {
	root, err := repoRoot()
	if err != nil {
		return nil, err
	}
	stack.root = root
	if err := checkPieces(root); err != nil {
		return nil, err
	}
	var children []*child
	osPort, err := freePort()
	if err != nil {
		return nil, err
	}
	openSearch, err := startChild(root, logDir, "opensearch", "opensearch-local/cli.ts", map[string]string{
		"OPENSEARCH_PORT": strconv.Itoa(osPort), "OPENSEARCH_DATA_DIR": filepath.Join(logDir, "opensearch-data"),
	})
	if err != nil {
		return children, err
	}
	children = append(children, openSearch)
	openSearchURL := fmt.Sprintf("http://127.0.0.1:%d", osPort)
	if err := waitHTTP(openSearchURL+"/_cluster/health", openSearch, openSearchUp); err != nil {
		return children, err
	}
	service, err := startService(root, logDir, openSearchURL)
	if service != nil {
		children = append(children, service)
	}
	if err != nil {
		return children, err
	}
	if err := loadDemo(root, logDir); err != nil {
		return children, err
	}
	if err := seedBlock(); err != nil {
		return children, err
	}
	// Every demo request searchable before the first test (OpenSearch refreshes about once a second on its own;
	// a test that starts earlier would see only part of the demo).
	if err := refreshIndices(openSearchURL); err != nil {
		return children, err
	}
	stack.ds, err = newDatasource(stack.serviceURL)
	if err != nil {
		return children, err
	}
	return children, waitForStoredRequests(stack.ds)
}

// startService starts the API Sessions service against openSearchURL and waits for /healthz.
func startService(root, logDir, openSearchURL string) (*child, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	service, err := startChild(root, logDir, "service", "backend/src/main.ts", map[string]string{
		"PORT": strconv.Itoa(port), "HOST": "127.0.0.1", "OPENSEARCH_URL": openSearchURL, "INDEX_PREFIX": "gotest",
		"INGEST_TOKENS": ingestToken, "QUERY_TOKENS": queryToken, "SESSION_SECRET": "gotest-session-secret-0123456789",
		// The demo's specs give every API status, so the inventory panels have rows (read only: no uploads here).
		"SPECS_DIR": filepath.Join(root, "backend", "demo", "specs"),
		// Blocking: the plugin's block resources and the decision endpoint (blocks_test.go).
		"ADMIN_TOKENS": "grafana:" + adminToken, "DECISION_TOKENS": decisionToken, "BLOCKS_REFRESH_MS": "500",
	})
	if err != nil {
		return nil, err
	}
	stack.serviceURL = fmt.Sprintf("http://127.0.0.1:%d", port)
	return service, waitHTTP(stack.serviceURL+"/healthz", service, serviceUp)
}

// loadDemo posts the demo traffic (seed 1, the last 6 h) and waits for the generator to finish.
func loadDemo(root, logDir string) error {
	demo, err := startChild(root, logDir, "demo", "backend/demo/cli.ts", map[string]string{
		"SERVICE_URL": stack.serviceURL, "INGEST_TOKEN": ingestToken, "DEMO_SEED": "1",
	})
	if err != nil {
		return err
	}
	if err := demo.wait(demoLoad); err != nil {
		return fmt.Errorf("demo traffic failed: %v; log tail:\n%s", err, demo.logTail(30))
	}
	return nil
}

// seedBlock stores one block, so the dashboards' Blocks panel has a row like every other panel.
func seedBlock() error {
	body := strings.NewReader(`{"target":{"client_ip":"192.0.2.1"},"reason":"integration stack: a block for the Blocks panel"}`)
	req, _ := http.NewRequest(http.MethodPost, stack.serviceURL+"/v1/blocks", body)
	req.Header.Set("Authorization", "Bearer "+adminToken)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("seeding a block: %v", err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		return fmt.Errorf("seeding a block: HTTP %d", res.StatusCode)
	}
	return nil
}

// newDatasource builds the plugin instance exactly as Grafana would, from jsonData and secureJsonData.
func newDatasource(url string) (*plugin.Datasource, error) {
	return newDatasourceWithToken(url, queryToken)
}

// newDatasourceWithToken is newDatasource with another query token.
func newDatasourceWithToken(url, token string) (*plugin.Datasource, error) {
	inst, err := plugin.NewDatasource(context.Background(), backend.DataSourceInstanceSettings{
		JSONData:                []byte(`{"url":"` + url + `"}`),
		DecryptedSecureJSONData: map[string]string{"queryToken": token},
	})
	if err != nil {
		return nil, err
	}
	return inst.(*plugin.Datasource), nil
}

// refreshIndices makes everything written to the test's indices searchable now.
func refreshIndices(openSearchURL string) error {
	res, err := http.Post(openSearchURL+"/gotest-*/_refresh", "application/json", nil)
	if err != nil {
		return fmt.Errorf("refreshing the test indices: %v", err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("refreshing the test indices: HTTP %d", res.StatusCode)
	}
	return nil
}

// waitForStoredRequests waits until the health check sees the demo requests (OpenSearch refreshes about every second).
func waitForStoredRequests(ds *plugin.Datasource) error {
	var last string
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(time.Second) {
		res, err := ds.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
		if err != nil {
			return err
		}
		last = res.Message
		if n, ok := storedCount(res.Message); ok && n > 0 {
			return nil
		}
	}
	return fmt.Errorf("the service never reported stored demo requests; last health message: %q", last)
}

// stackPieces are the programs the stack is made of (written by the service and OpenSearch work).
var stackPieces = []string{"opensearch-local/cli.ts", "backend/src/main.ts", "backend/demo/cli.ts", "node_modules/.bin/tsx"}

// checkPieces names every missing piece at once, so one run tells what is missing.
func checkPieces(root string) error {
	var missing []string
	for _, p := range stackPieces {
		if _, err := os.Stat(filepath.Join(root, p)); err != nil {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("missing in %s: %s (node_modules: run npm ci)", root, strings.Join(missing, ", "))
	}
	return nil
}

// repoRoot walks up from the working directory to the folder holding go.mod.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the working directory")
		}
		dir = parent
	}
}
