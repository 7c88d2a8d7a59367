package plugin

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

const testToken = "query-token-0123456789"

// seenRequest is what the fake service received.
type seenRequest struct {
	Method, Path, RawQuery, Auth string
	Body                         map[string]any
}

// fakeService is an httptest server that records requests and answers with handle.
type fakeService struct {
	*httptest.Server
	mu   sync.Mutex
	seen []seenRequest
}

func newFakeService(t *testing.T, handle func(w http.ResponseWriter, r *http.Request, body map[string]any)) *fakeService {
	t.Helper()
	fs := &fakeService{}
	fs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		var body map[string]any
		_ = json.Unmarshal(raw, &body)
		fs.mu.Lock()
		fs.seen = append(fs.seen, seenRequest{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Get("Authorization"), body})
		fs.mu.Unlock()
		handle(w, r, body)
	}))
	t.Cleanup(fs.Close)
	return fs
}

func (fs *fakeService) requests() []seenRequest {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return append([]seenRequest(nil), fs.seen...)
}

// newTestDatasource returns a Datasource configured for url with the test token.
func newTestDatasource(t *testing.T, url string, jsonData string) *Datasource {
	t.Helper()
	if jsonData == "" {
		jsonData = `{"url":"` + url + `"}`
	}
	inst, err := NewDatasource(context.Background(), backend.DataSourceInstanceSettings{
		JSONData:                []byte(jsonData),
		DecryptedSecureJSONData: map[string]string{"queryToken": testToken},
	})
	if err != nil {
		t.Fatalf("NewDatasource: %v", err)
	}
	ds := inst.(*Datasource)
	t.Cleanup(ds.Dispose)
	return ds
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}
