package plugin

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

const (
	// requestTimeout bounds one call to the service; Grafana's own query timeout still applies through ctx.
	requestTimeout = 60 * time.Second
	// maxResponseBytes caps how much of an answer is read, so a runaway answer cannot exhaust memory.
	maxResponseBytes = 256 << 20
	// timeoutHeader tells the service how long this call may take, so it stops the query's OpenSearch work and
	// answers 504 query_timeout before the plugin or Grafana gives up on it.
	timeoutHeader = "X-Timeout-Ms"
	// timeoutMargin is left for the service's answer to travel back.
	timeoutMargin = 500 * time.Millisecond
)

// serviceClient calls the API Sessions service with the instance's token.
type serviceClient struct {
	baseURL string
	token   string
	http    *http.Client
}

// serviceResponse is a fully read answer of the service.
type serviceResponse struct {
	Status int
	Header http.Header
	Body   []byte
}

// newServiceClient returns a client for s, or an error when the TLS settings are unusable.
func newServiceClient(s Settings) (*serviceClient, error) {
	transport, err := newTransport(s)
	if err != nil {
		return nil, err
	}
	return &serviceClient{
		baseURL: s.URL,
		token:   s.QueryToken,
		http:    &http.Client{Transport: transport, Timeout: requestTimeout},
	}, nil
}

// newTransport builds an HTTP transport with the instance's TLS options and connection timeouts.
func newTransport(s Settings) (*http.Transport, error) {
	tlsConfig := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: s.TLSSkipVerify} //nolint:gosec // opt-in setting
	if s.TLSCACert != "" {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM([]byte(s.TLSCACert)) {
			return nil, errors.New("TLS CA certificate: no PEM certificate found in the setting")
		}
		tlsConfig.RootCAs = pool
	}
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		TLSClientConfig:       tlsConfig,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: requestTimeout,
		MaxIdleConnsPerHost:   maxConcurrentQueries,
		IdleConnTimeout:       90 * time.Second,
	}, nil
}

// callTimeout is the time a call may take: requestTimeout, or less when ctx (Grafana's request, an alert
// evaluation) ends sooner; minus timeoutMargin, at least 1 ms. Example: no ctx deadline → 59.5 s.
func callTimeout(ctx context.Context, now time.Time) time.Duration {
	limit := requestTimeout
	if deadline, ok := ctx.Deadline(); ok && deadline.Sub(now) < limit {
		limit = deadline.Sub(now)
	}
	limit -= timeoutMargin
	if limit < time.Millisecond {
		return time.Millisecond
	}
	return limit
}

// do sends one request to path (relative to the base URL) with the query token and reads the whole answer. The request carries ctx:
// when Grafana cancels it, the connection is closed and the service cancels the query's OpenSearch searches; the
// X-Timeout-Ms header passes the time left on. It returns an error only when no HTTP answer was read (network, TLS,
// cancellation).
func (c *serviceClient) do(ctx context.Context, method, path string, query url.Values, body []byte) (serviceResponse, error) {
	return c.doAs(ctx, c.token, method, path, query, body)
}

// doAs is do with another bearer token (the admin token for block changes).
func (c *serviceClient) doAs(ctx context.Context, token, method, path string, query url.Values, body []byte) (serviceResponse, error) {
	target := c.baseURL + path
	if len(query) > 0 {
		target += "?" + query.Encode()
	}
	var reader io.Reader
	if body != nil {
		reader = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, reader)
	if err != nil {
		return serviceResponse{}, fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	req.Header.Set(timeoutHeader, strconv.FormatInt(callTimeout(ctx, time.Now()).Milliseconds(), 10))
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return serviceResponse{}, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		return serviceResponse{}, fmt.Errorf("read answer: %w", err)
	}
	return serviceResponse{Status: resp.StatusCode, Header: resp.Header, Body: data}, nil
}

// close releases idle connections.
func (c *serviceClient) close() {
	c.http.CloseIdleConnections()
}
