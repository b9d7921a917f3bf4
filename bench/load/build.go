package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// binaries are the programs a benchmark run starts.
type binaries struct {
	server, static, sealed string
	gwcert                 string // "" when gwcert load is not available
	gwcertMissing          string // why gwcert load is not available
}

// buildAll builds the helper programs into dir, and gwcert unless a
// binary is given. A gwcert that cannot be built or has no load command
// is not an error: its rows are skipped with the reason.
func buildAll(dir, gwcert string, log io.Writer) (binaries, error) {
	root, err := moduleRoot()
	if err != nil {
		return binaries{}, err
	}
	fmt.Fprintln(log, "building the helper programs")
	b := binaries{server: filepath.Join(dir, "server"), static: filepath.Join(dir, "static"),
		sealed: filepath.Join(dir, "sealed")}
	if out, err := goBuild(root, dir+string(filepath.Separator), "./bench/load/server",
		"./bench/load/static", "./bench/load/sealed"); err != nil {
		return b, fmt.Errorf("building the helper programs: %v\n%s", err, out)
	}
	if gwcert != "" {
		b.gwcert, b.gwcertMissing = gwcert, probeLoad(gwcert)
	} else {
		b.gwcert, b.gwcertMissing = buildGwcert(root, dir, log)
	}
	if b.gwcertMissing != "" {
		b.gwcert = ""
	}
	return b, nil
}

// loadTag is the build tag under which `gwcert load` is built while the
// module lacks a dependency of Vegeta's plot package.
const loadTag = "gwcert_load"

// buildGwcert builds ./cmd/gwcert into dir and returns the binary, or why
// it has no usable load command: first as it is, then with loadTag.
func buildGwcert(root, dir string, log io.Writer) (bin, missing string) {
	fmt.Fprintln(log, "building gwcert")
	bin = filepath.Join(dir, "gwcert")
	if out, err := goBuild(root, bin, "./cmd/gwcert"); err != nil {
		return "", "./cmd/gwcert does not build: " + firstLine(out)
	}
	why := probeLoad(bin)
	if why == "" {
		return bin, ""
	}
	fmt.Fprintf(log, "gwcert has no load command; building with -tags %s\n", loadTag)
	tagged := filepath.Join(dir, "gwcert-"+loadTag)
	out, err := goBuild(root, tagged, "-tags", loadTag, "./cmd/gwcert")
	if err != nil {
		return "", why + "; with -tags " + loadTag + ": " + firstLine(out)
	}
	if why2 := probeLoad(tagged); why2 != "" {
		return "", why + "; with -tags " + loadTag + ": " + why2
	}
	return tagged, ""
}

// moduleRoot returns the directory of the go.mod in force, so the tool
// runs from anywhere inside the module.
func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	gomod := strings.TrimSpace(string(out))
	if err != nil || gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("not inside the gwcert module: run from its root")
	}
	return filepath.Dir(gomod), nil
}

// goBuild runs go build -o out args... in dir.
func goBuild(dir, out string, args ...string) ([]byte, error) {
	cmd := exec.Command("go", append([]string{"build", "-o", out}, args...)...)
	cmd.Dir = dir
	return cmd.CombinedOutput()
}

// probeLoad reports why gwcert's load command cannot be used, or "".
func probeLoad(gwcert string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, gwcert, "load", "--help")
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return "gwcert load --help failed (" + err.Error() + "): " + firstLine(out.Bytes())
	}
	return ""
}

// firstLine returns the first non-empty line of out, shortened.
func firstLine(out []byte) string {
	for line := range strings.Lines(string(out)) {
		if line = strings.TrimSpace(line); line != "" {
			if len(line) > 120 {
				line = line[:120] + "…"
			}
			return line
		}
	}
	return "no output"
}

// describeMachine names the platform, CPU model, core count and Go
// version the figures were measured on, and how busy the machine was.
func describeMachine() string {
	info, _ := os.ReadFile("/proc/cpuinfo") // absent off Linux: the model is unknown
	load, _ := os.ReadFile("/proc/loadavg")
	return fmt.Sprintf("%s/%s, %s, %d cores, %s; load average at start: %s", runtime.GOOS,
		runtime.GOARCH, cpuModel(string(info)), runtime.NumCPU(), runtime.Version(),
		loadAverage(string(load)))
}

// loadAverage returns the 1, 5 and 15 minute figures of /proc/loadavg
// text, or "unknown".
func loadAverage(loadavg string) string {
	f := strings.Fields(loadavg)
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// cpuModel returns the first "model name" of /proc/cpuinfo text.
func cpuModel(cpuinfo string) string {
	for line := range strings.Lines(cpuinfo) {
		key, value, ok := strings.Cut(line, ":")
		if ok && strings.TrimSpace(key) == "model name" {
			return strings.TrimSpace(value)
		}
	}
	return "unknown CPU"
}
