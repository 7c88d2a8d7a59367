package main

import (
	"archive/zip"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// Severity of a finding: errors fail the check, warnings are reported only.
type Severity string

// Severities, named like the plugin validator's.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
)

// Finding is one problem found in the archive; Check names the plugin-validator analyzer it mirrors.
type Finding struct {
	Severity Severity
	Check    string
	Message  string
}

// pluginJSON is the part of plugin.json the checks read.
type pluginJSON struct {
	ID         string `json:"id"`
	Type       string `json:"type"`
	Name       string `json:"name"`
	Backend    bool   `json:"backend"`
	Executable string `json:"executable"`
	Alerting   bool   `json:"alerting"`
	Info       struct {
		Version     string `json:"version"`
		Description string `json:"description"`
		Keywords    []string
		Author      struct {
			Name string `json:"name"`
		} `json:"author"`
		Logos struct {
			Small string `json:"small"`
			Large string `json:"large"`
		} `json:"logos"`
		Screenshots []struct {
			Path string `json:"path"`
		} `json:"screenshots"`
	} `json:"info"`
	Dependencies struct {
		GrafanaDependency string `json:"grafanaDependency"`
	} `json:"dependencies"`
	Includes []struct {
		Path string `json:"path"`
	} `json:"includes"`
}

// backendPlatforms are the binaries Grafana loads; linux/amd64 is required, the others are warned about.
var backendPlatforms = []string{"linux_amd64", "linux_arm64", "darwin_amd64", "darwin_arm64", "windows_amd64.exe"}

var (
	semverPattern     = regexp.MustCompile(`^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`)
	grafanaDepPattern = regexp.MustCompile(`^(>=|>|\^|~)?\s*\d+\.\d+\.\d+`)
	acceptedLicense   = regexp.MustCompile(`(?is)apache license.{0,40}version 2\.0|gnu affero general public license`)
	unsafeSVGPattern  = regexp.MustCompile(`(?i)<script|\son[a-z]+\s*=|javascript:`)
)

// CheckArchive runs every offline check on the zip at zipPath and returns the findings, errors first.
func CheckArchive(zipPath string, r *zip.Reader) []Finding {
	var out []Finding
	report := func(sev Severity, check, format string, args ...any) {
		out = append(out, Finding{sev, check, fmt.Sprintf(format, args...)})
	}
	files := map[string]*zip.File{}
	roots := map[string]bool{}
	for _, f := range r.File {
		files[strings.TrimSuffix(f.Name, "/")] = f
		roots[strings.SplitN(f.Name, "/", 2)[0]] = true
		if !strings.Contains(strings.TrimSuffix(f.Name, "/"), "/") && !f.FileInfo().IsDir() {
			report(SeverityError, "archive", "file %q is at the top level; everything must be inside the plugin folder", f.Name)
		}
	}
	if len(roots) != 1 {
		report(SeverityError, "archive", "the zip must hold exactly one top-level folder, found %d", len(roots))
		return sortFindings(out)
	}
	var root string
	for root = range roots {
	}
	meta, ok := readPluginJSON(files, root, report)
	if !ok {
		return sortFindings(out)
	}
	if meta.ID != root {
		report(SeverityError, "archive", "top-level folder %q must be named by the plugin id %q", root, meta.ID)
	}
	if base := filepath.Base(zipPath); !strings.HasPrefix(base, meta.ID+"-"+meta.Info.Version) {
		report(SeverityWarning, "archivename", "zip name %q should start with %s-%s", base, meta.ID, meta.Info.Version)
	}
	checkMetadata(meta, report)
	checkFiles(files, root, meta, report)
	checkBackend(files, root, meta, report)
	return sortFindings(out)
}

type reportFunc func(sev Severity, check, format string, args ...any)

func readPluginJSON(files map[string]*zip.File, root string, report reportFunc) (pluginJSON, bool) {
	var meta pluginJSON
	f, ok := files[root+"/plugin.json"]
	if !ok {
		report(SeverityError, "metadata", "%s/plugin.json is missing", root)
		return meta, false
	}
	raw, err := readFile(f)
	if err == nil {
		err = json.Unmarshal(raw, &meta)
	}
	if err != nil {
		report(SeverityError, "metadatavalid", "plugin.json is not valid JSON: %v", err)
		return meta, false
	}
	return meta, true
}

func checkMetadata(meta pluginJSON, report reportFunc) {
	if meta.Type != "datasource" && meta.Type != "panel" && meta.Type != "app" {
		report(SeverityError, "metadatavalid", "type %q must be datasource, panel or app", meta.Type)
	}
	if strings.TrimSpace(meta.Name) == "" || meta.Name == meta.ID {
		report(SeverityError, "pluginname", "name must be a human-friendly name, not empty or the id")
	}
	if !strings.HasSuffix(meta.ID, "-"+meta.Type) {
		report(SeverityError, "typesuffix", "id %q must end with -%s", meta.ID, meta.Type)
	}
	if !semverPattern.MatchString(meta.Info.Version) {
		report(SeverityError, "metadatavalid", "info.version %q is not a semantic version", meta.Info.Version)
	}
	if meta.Info.Author.Name == "" {
		report(SeverityError, "metadatavalid", "info.author.name is missing")
	}
	if !grafanaDepPattern.MatchString(meta.Dependencies.GrafanaDependency) {
		report(SeverityError, "metadatavalid", "dependencies.grafanaDependency %q must be a version range like >=12.3.0", meta.Dependencies.GrafanaDependency)
	}
	if meta.Info.Description == "" || len(meta.Info.Keywords) == 0 {
		report(SeverityWarning, "discoverability", "info.description and info.keywords help users find the plugin")
	}
}

func checkFiles(files map[string]*zip.File, root string, meta pluginJSON, report reportFunc) {
	required := map[string]string{"module.js": "modulejs", "README.md": "readme", "LICENSE": "license"}
	for name, check := range required {
		if _, ok := files[root+"/"+name]; !ok {
			report(SeverityError, check, "%s/%s is missing", root, name)
		}
	}
	if f, ok := files[root+"/LICENSE"]; ok {
		if raw, err := readFile(f); err == nil && !acceptedLicense.Match(raw) {
			report(SeverityError, "license", "LICENSE is neither Apache-2.0 nor AGPL-3.0, the licenses the Grafana catalog accepts")
		}
	}
	for name, check := range map[string]string{"module.js.map": "jssourcemap", "CHANGELOG.md": "changelog"} {
		if _, ok := files[root+"/"+name]; !ok {
			report(SeverityWarning, check, "%s/%s is missing", root, name)
		}
	}
	referenced := []string{meta.Info.Logos.Small, meta.Info.Logos.Large}
	for _, s := range meta.Info.Screenshots {
		referenced = append(referenced, s.Path)
	}
	for _, inc := range meta.Includes {
		if inc.Path != "" {
			referenced = append(referenced, inc.Path)
		}
	}
	for _, p := range referenced {
		if p == "" {
			report(SeverityError, "logos", "plugin.json names an empty logo path")
		} else if _, ok := files[path.Join(root, p)]; !ok {
			report(SeverityError, "metadatapaths", "plugin.json refers to %s, which is not in the zip", p)
		}
	}
	for name, f := range files {
		base := path.Base(name)
		switch {
		case base == ".DS_Store" || strings.HasPrefix(name, "__MACOSX") || strings.Contains(name, "/node_modules/"):
			report(SeverityError, "archive", "%s should not be packaged", name)
		case strings.HasSuffix(name, ".svg"):
			if raw, err := readFile(f); err == nil && unsafeSVGPattern.Match(raw) {
				report(SeverityError, "unsafesvg", "%s contains script or event handlers", name)
			}
		}
	}
}

func checkBackend(files map[string]*zip.File, root string, meta pluginJSON, report reportFunc) {
	if !meta.Backend {
		return
	}
	if !strings.HasPrefix(meta.Executable, "gpx_") {
		report(SeverityError, "backendbinary", "executable %q must start with gpx_", meta.Executable)
		return
	}
	for _, platform := range backendPlatforms {
		name := root + "/" + meta.Executable + "_" + platform
		f, ok := files[name]
		switch {
		case !ok && platform == "linux_amd64":
			report(SeverityError, "backendbinary", "%s is missing", name)
		case !ok:
			report(SeverityWarning, "backendbinary", "%s is missing: Grafana on %s cannot load the backend", name, strings.TrimSuffix(platform, ".exe"))
		case !strings.HasSuffix(platform, ".exe") && f.Mode().Perm()&0o111 == 0:
			report(SeverityError, "binarypermissions", "%s is not executable (mode %v)", name, f.Mode().Perm())
		}
	}
	if !meta.Alerting {
		report(SeverityWarning, "metadata", "backend data source without \"alerting\": true cannot be used in alert rules")
	}
}

func readFile(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(io.LimitReader(rc, 16<<20))
}

// sortFindings puts errors before warnings, then orders by check and message, so output is stable.
func sortFindings(in []Finding) []Finding {
	sort.Slice(in, func(i, j int) bool {
		a, b := in[i], in[j]
		if a.Severity != b.Severity {
			return a.Severity == SeverityError
		}
		if a.Check != b.Check {
			return a.Check < b.Check
		}
		return a.Message < b.Message
	})
	return in
}
