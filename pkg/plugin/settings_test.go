package plugin

import (
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

func TestParseSettings(t *testing.T) {
	cases := []struct {
		name     string
		jsonData string
		secure   map[string]string
		wantErr  string
		check    func(t *testing.T, s Settings)
	}{
		{name: "full", jsonData: `{"url":"https://svc.example:8443/","tlsSkipVerify":true,"defaultIdleTimeoutMinutes":15}`,
			secure: map[string]string{"queryToken": "tok"},
			check: func(t *testing.T, s Settings) {
				if s.URL != "https://svc.example:8443" || s.QueryToken != "tok" || !s.TLSSkipVerify || s.DefaultIdleTimeoutMinutes != 15 {
					t.Fatalf("unexpected settings %+v", s)
				}
			}},
		{name: "defaults", jsonData: `{"url":"http://127.0.0.1:8080"}`, secure: map[string]string{"queryToken": "tok"},
			check: func(t *testing.T, s Settings) {
				if s.DefaultIdleTimeoutMinutes != DefaultIdleTimeoutMinutes || s.TLSSkipVerify || s.TLSCACert != "" {
					t.Fatalf("unexpected defaults %+v", s)
				}
			}},
		{name: "zero idle timeout means no split", jsonData: `{"url":"http://x","defaultIdleTimeoutMinutes":0}`,
			secure: map[string]string{"queryToken": "tok"},
			check: func(t *testing.T, s Settings) {
				if s.DefaultIdleTimeoutMinutes != 0 {
					t.Fatalf("want 0, got %d", s.DefaultIdleTimeoutMinutes)
				}
			}},
		{name: "secure CA wins", jsonData: `{"url":"http://x","tlsCACert":"plain"}`,
			secure: map[string]string{"queryToken": "tok", "tlsCACert": "secret-pem"},
			check: func(t *testing.T, s Settings) {
				if s.TLSCACert != "secret-pem" {
					t.Fatalf("want secure CA, got %q", s.TLSCACert)
				}
			}},
		{name: "missing url", jsonData: `{}`, secure: map[string]string{"queryToken": "tok"}, wantErr: "service URL is missing"},
		{name: "relative url", jsonData: `{"url":"svc:8080"}`, secure: map[string]string{"queryToken": "tok"}, wantErr: "not an absolute http(s) URL"},
		{name: "missing token", jsonData: `{"url":"http://x"}`, wantErr: "query token is missing"},
		{name: "token in jsonData is ignored", jsonData: `{"url":"http://x","queryToken":"tok"}`, wantErr: "query token is missing"},
		{name: "negative idle timeout", jsonData: `{"url":"http://x","defaultIdleTimeoutMinutes":-1}`,
			secure: map[string]string{"queryToken": "tok"}, wantErr: "defaultIdleTimeoutMinutes"},
		{name: "bad json", jsonData: `{`, secure: map[string]string{"queryToken": "tok"}, wantErr: "invalid data source settings"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := ParseSettings(backend.DataSourceInstanceSettings{JSONData: []byte(tc.jsonData), DecryptedSecureJSONData: tc.secure})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("want error containing %q, got %v", tc.wantErr, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			tc.check(t, s)
		})
	}
}
