// Package buildinfo tells which gwcert is running, for reports and
// certificates.
package buildinfo

import "runtime/debug"

// version is set at link time with -ldflags "-X .../buildinfo.version=v1.2.3".
var version string

// Version returns the link-time version, else the module version recorded
// in the binary, else "devel".
func Version() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}
