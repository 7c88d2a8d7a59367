package main

import (
	"archive/zip"
	"bytes"
	"io/fs"
	"strings"
	"testing"
)

const goodPluginJSON = `{"id":"apisessions-sessions-datasource","type":"datasource","name":"API Sessions",
"backend":true,"executable":"gpx_apisessions","alerting":true,
"info":{"version":"0.1.0","description":"d","keywords":["api"],"author":{"name":"A"},
"logos":{"small":"img/logo.svg","large":"img/logo.svg"}},
"includes":[{"type":"dashboard","path":"dashboards/a.json"}],
"dependencies":{"grafanaDependency":">=12.3.0"}}`

type entry struct {
	name string
	mode uint32
	body string
}

func goodEntries() []entry {
	root := "apisessions-sessions-datasource/"
	var out []entry
	for _, name := range []string{"module.js", "module.js.map", "README.md", "CHANGELOG.md", "dashboards/a.json"} {
		out = append(out, entry{root + name, 0o644, "x"})
	}
	out = append(out, entry{root + "LICENSE", 0o644, "                                 Apache License\n                           Version 2.0, January 2004\n"})
	out = append(out, entry{root + "plugin.json", 0o644, goodPluginJSON}, entry{root + "img/logo.svg", 0o644, `<svg><path d="M0"/></svg>`})
	for _, p := range backendPlatforms {
		out = append(out, entry{root + "gpx_apisessions_" + p, 0o755, "bin"})
	}
	return out
}

func buildZip(t *testing.T, entries []entry) *zip.Reader {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		h.SetMode(fsMode(e.mode))
		f, err := w.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = f.Write([]byte(e.body))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

const zipName = "apisessions-sessions-datasource-0.1.0.zip"

func TestGoodArchiveHasNoFindings(t *testing.T) {
	if f := CheckArchive(zipName, buildZip(t, goodEntries())); len(f) != 0 {
		t.Fatalf("unexpected findings: %+v", f)
	}
}

func TestArchiveProblems(t *testing.T) {
	cases := []struct {
		name   string
		change func([]entry) []entry
		want   string
	}{
		{"missing readme", drop("README.md"), "error readme"},
		{"missing license", drop("LICENSE"), "error license"},
		{"other license", func(es []entry) []entry {
			for i := range es {
				if strings.HasSuffix(es[i].name, "/LICENSE") {
					es[i].body = "MIT License"
				}
			}
			return es
		}, "error license"},
		{"missing linux binary", drop("gpx_apisessions_linux_amd64"), "error backendbinary"},
		{"missing darwin binary is a warning", drop("gpx_apisessions_darwin_arm64"), "warning backendbinary"},
		{"binary not executable", func(es []entry) []entry {
			for i := range es {
				if strings.HasSuffix(es[i].name, "_linux_arm64") {
					es[i].mode = 0o644
				}
			}
			return es
		}, "error binarypermissions"},
		{"wrong folder", func(es []entry) []entry {
			for i := range es {
				es[i].name = strings.Replace(es[i].name, "apisessions-sessions-datasource/", "dist/", 1)
			}
			return es
		}, "error archive"},
		{"file at top level", func(es []entry) []entry { return append(es, entry{"stray.txt", 0o644, ""}) }, "error archive"},
		{"unsafe svg", func(es []entry) []entry {
			return append(es, entry{"apisessions-sessions-datasource/img/x.svg", 0o644, `<svg onload="alert(1)"/>`})
		}, "error unsafesvg"},
		{"missing dashboard", drop("dashboards/a.json"), "error metadatapaths"},
		{"bad plugin.json", func(es []entry) []entry {
			for i := range es {
				if strings.HasSuffix(es[i].name, "plugin.json") {
					es[i].body = "{"
				}
			}
			return es
		}, "error metadatavalid"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			findings := CheckArchive(zipName, buildZip(t, tc.change(goodEntries())))
			for _, f := range findings {
				if string(f.Severity)+" "+f.Check == tc.want {
					return
				}
			}
			t.Fatalf("want a %q finding, got %+v", tc.want, findings)
		})
	}
}

func drop(suffix string) func([]entry) []entry {
	return func(es []entry) []entry {
		var out []entry
		for _, e := range es {
			if !strings.HasSuffix(e.name, "/"+suffix) {
				out = append(out, e)
			}
		}
		return out
	}
}

func fsMode(perm uint32) fs.FileMode { return fs.FileMode(perm) }
