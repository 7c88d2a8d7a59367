package plugin

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// DefaultIdleTimeoutMinutes is used for sessions queries when neither the query nor the data source sets one.
const DefaultIdleTimeoutMinutes = 30

// Settings is the parsed configuration of one data source instance.
type Settings struct {
	// URL is the base URL of the API Sessions service, without a trailing slash.
	URL string
	// QueryToken is the bearer token sent to the service (from secureJsonData only).
	QueryToken string
	// AdminToken is an ADMIN_TOKENS token of the service (from secureJsonData only, optional): it lets Grafana
	// editors create and end blocks through the plugin's resources. Empty = blocking from Grafana is off.
	AdminToken string
	// TLSSkipVerify disables verification of the service's certificate.
	TLSSkipVerify bool
	// TLSCACert is a PEM bundle of CA certificates trusted for the service.
	TLSCACert string
	// DefaultIdleTimeoutMinutes is sent as idle_timeout_minutes on sessions queries that have none.
	DefaultIdleTimeoutMinutes int
}

type jsonSettings struct {
	URL                       string `json:"url"`
	TLSSkipVerify             bool   `json:"tlsSkipVerify"`
	TLSCACert                 string `json:"tlsCACert"`
	DefaultIdleTimeoutMinutes *int   `json:"defaultIdleTimeoutMinutes"`
}

// ParseSettings reads jsonData {url, tlsSkipVerify, tlsCACert, defaultIdleTimeoutMinutes} and
// secureJsonData {queryToken, adminToken, tlsCACert}. It returns an error naming the missing or invalid setting.
func ParseSettings(s backend.DataSourceInstanceSettings) (Settings, error) {
	var js jsonSettings
	if len(s.JSONData) > 0 {
		if err := json.Unmarshal(s.JSONData, &js); err != nil {
			return Settings{}, fmt.Errorf("invalid data source settings (jsonData): %w", err)
		}
	}
	base, err := parseServiceURL(js.URL)
	if err != nil {
		return Settings{}, err
	}
	token := strings.TrimSpace(s.DecryptedSecureJSONData["queryToken"])
	if token == "" {
		return Settings{}, errors.New("query token is missing: set it in the data source settings (stored as a secret)")
	}
	out := Settings{
		URL:                       base,
		QueryToken:                token,
		AdminToken:                strings.TrimSpace(s.DecryptedSecureJSONData["adminToken"]),
		TLSSkipVerify:             js.TLSSkipVerify,
		TLSCACert:                 js.TLSCACert,
		DefaultIdleTimeoutMinutes: DefaultIdleTimeoutMinutes,
	}
	// A CA certificate may also be kept in secureJsonData; that copy wins.
	if ca := s.DecryptedSecureJSONData["tlsCACert"]; strings.TrimSpace(ca) != "" {
		out.TLSCACert = ca
	}
	if js.DefaultIdleTimeoutMinutes != nil {
		if *js.DefaultIdleTimeoutMinutes < 0 {
			return Settings{}, errors.New("defaultIdleTimeoutMinutes must be 0 (no split) or a positive number of minutes")
		}
		out.DefaultIdleTimeoutMinutes = *js.DefaultIdleTimeoutMinutes
	}
	return out, nil
}

// parseServiceURL checks that raw is an absolute http(s) URL and returns it without a trailing slash.
func parseServiceURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", errors.New("service URL is missing: set the API Sessions service URL in the data source settings")
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("service URL %q is not an absolute http(s) URL", raw)
	}
	return strings.TrimRight(raw, "/"), nil
}
