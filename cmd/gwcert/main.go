// Command gwcert checks both sides of the encrypted gateway protocol:
// known-answer vectors through a crypto implementation, conformance of a
// gateway, certification of a partner's client, and encrypted load.
//
// Usage:
//
//	gwcert <command> [flags]
//
// Run `gwcert help` for the commands. Exit status: 0 when nothing
// failed, 1 when a check failed, 2 for a usage or configuration error.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// Exit codes of the gwcert command.
const (
	exitOK     = 0
	exitFailed = 1
	exitUsage  = 2
)

// errChecksFailed is returned when a run completed and some check failed.
var errChecksFailed = errors.New("some checks failed")

// usageError is a problem with the command line or configuration; its
// message says what to fix.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

func exitCode(err error, stderr io.Writer) int {
	var ue *usageError
	switch {
	case err == nil, errors.Is(err, errHelp):
		return exitOK
	case errors.Is(err, errChecksFailed):
		return exitFailed
	case errors.As(err, &ue):
		fmt.Fprintln(stderr, "gwcert:", err)
		return exitUsage
	default:
		fmt.Fprintln(stderr, "gwcert:", err)
		return exitFailed
	}
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, io stdio) error
}

// stdio carries the streams a command may use; tests replace them.
type stdio struct {
	in       io.Reader
	out, err io.Writer
}

func commands() []command {
	return []command{
		{"kat", "run known-answer vectors through the Go codec or a crypto adapter", runKAT},
		{"adapter", "serve gwcert's Go codec behind the crypto-adapter contract on stdin/stdout", runAdapter},
		{"conform", "run the gateway conformance suite against a gateway (default: the bundled mock)", runConform},
		{"certify", "certify a client driver against the bundled mock gateway and write a certificate", runCertify},
		{"mock", "serve the bundled mock gateway and print its test credentials", runMock},
		{"load", "send encrypted load with Vegeta (default: the bundled mock); 'load merge' joins shards", runLoad},
		{"demo", "run every job on its defaults against the bundled mock and write one page", runDemo},
		{"curl", "print a ready curl command with freshly sealed headers and body", runCurl},
		{"open", "open a token (or a RequestData/ResponseData body) with a client's key", runOpen},
		{"checks", "list every check id, its PROTOCOL.md section, its level and what it proves", runChecks},
		{"version", "print gwcert's version", runVersion},
	}
}

// Run runs the gwcert command line args with the given streams.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printUsage(stdout)
		if len(args) == 0 {
			return usagef("no command given")
		}
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, args[1:], stdio{in: stdin, out: stdout, err: stderr})
		}
	}
	return usagef("unknown command %q; run 'gwcert help' for the list", args[0])
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "gwcert checks both sides of the encrypted gateway protocol.")
	fmt.Fprintln(w, "\nUsage: gwcert <command> [flags]   (gwcert <command> -h for its flags)")
	fmt.Fprintln(w, "\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nExit status: 0 nothing failed, 1 a check failed, 2 usage or configuration error.")
}

// lookupEnv reads the process environment; commands take it as a value
// so tests can replace it.
var lookupEnv = os.LookupEnv
