//go:build !unix

package client

import (
	"os"
	"os/exec"
)

// ownGroup does nothing here: without process groups, killGroup ends
// the program but not what it started.
func ownGroup(cmd *exec.Cmd) {}

// killGroup kills the program.
func killGroup(cmd *exec.Cmd) { cmd.Process.Kill() }

// exitSignal is always "": the exit status says everything here.
func exitSignal(ps *os.ProcessState) string { return "" }
