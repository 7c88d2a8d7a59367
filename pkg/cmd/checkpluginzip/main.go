// Command checkpluginzip runs offline structural checks on a packaged plugin zip: the subset of Grafana's
// plugin validator (plugincheck2) that needs no network. scripts/validate-plugin.sh runs it always, and
// plugincheck2 too when that can be installed.
//
// Usage: go run ./pkg/cmd/checkpluginzip <plugin.zip>
// Exit status: 0 when no error was found (warnings allowed), 1 on errors, 2 on bad usage.
package main

import (
	"archive/zip"
	"fmt"
	"os"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: checkpluginzip <plugin.zip>")
		os.Exit(2)
	}
	r, err := zip.OpenReader(os.Args[1])
	if err != nil {
		fmt.Fprintf(os.Stderr, "error: cannot open %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
	defer r.Close()
	findings := CheckArchive(os.Args[1], &r.Reader)
	errors := 0
	for _, f := range findings {
		fmt.Printf("%-7s %-18s %s\n", f.Severity, f.Check, f.Message)
		if f.Severity == SeverityError {
			errors++
		}
	}
	fmt.Printf("checkpluginzip: %d error(s), %d warning(s)\n", errors, len(findings)-errors)
	if errors > 0 {
		os.Exit(1)
	}
}
