// Package kat is the known-answer suite: every test of every vector file
// (PROTOCOL.md section 8) runs as one Ginkgo table entry, labelled with
// its check id, against gwcert's own codec or against a program in
// another language behind the crypto-adapter contract.
package kat

import (
	"flag"
	"strconv"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/gwcert/gwcert/suites/suiterun"
	"github.com/gwcert/gwcert/vectors"
)

// Config selects the vectors and the implementation under test. The same
// fields are set by `go test` flags and by `gwcert kat`.
type Config struct {
	Vectors        []string      // files or folders; none means the embedded set
	Adapter        string        // command of a crypto adapter; "" means the Go codec
	AdapterTimeout time.Duration // bound on each adapter answer
}

// RegisterFlags defines the configuration's flags on fs, each name
// prefixed with prefix ("gwcert." under go test, "" in the binary).
func (c *Config) RegisterFlags(fs *flag.FlagSet, prefix string) {
	fs.Func(prefix+"vectors", "vector `FILE|DIR` to run (repeatable; default: the embedded set)",
		func(s string) error { c.Vectors = append(c.Vectors, s); return nil })
	fs.StringVar(&c.Adapter, prefix+"adapter", c.Adapter,
		"crypto adapter `command` run through /bin/sh (default: gwcert's Go codec)")
	fs.DurationVar(&c.AdapterTimeout, prefix+"adapter-timeout", DefaultAdapterTimeout,
		"longest wait for one adapter answer")
}

// Load reads the configured vector files.
func (c *Config) Load() ([]*vectors.File, error) {
	if len(c.Vectors) == 0 {
		return vectors.Builtin()
	}
	var files []*vectors.File
	for _, p := range c.Vectors {
		fs, err := vectors.Load(p)
		if err != nil {
			return nil, err
		}
		files = append(files, fs...)
	}
	return files, nil
}

// Target describes the implementation under test for reports.
func (c *Config) Target() string {
	if strings.TrimSpace(c.Adapter) != "" {
		return "adapter: " + c.Adapter
	}
	return GoCodec().Name()
}

// NewImpl starts the implementation under test.
func (c *Config) NewImpl() (Impl, error) {
	if strings.TrimSpace(c.Adapter) == "" {
		return GoCodec(), nil
	}
	return StartAdapter(c.Adapter, c.AdapterTimeout)
}

// Declare declares the suite's specs for files. The vector files are
// loaded before the tree is built, so each test is its own entry; the
// implementation starts once per Ginkgo process.
func Declare(files []*vectors.File, newImpl func() (Impl, error)) {
	var impl Impl
	BeforeSuite(func() {
		var err error
		impl, err = newImpl()
		if err != nil {
			Fail("starting the implementation under test: " + err.Error())
		}
		DeferCleanup(func() {
			if err := impl.Close(); err != nil {
				GinkgoWriter.Println("closing the implementation:", err)
			}
		})
	})
	for _, f := range files {
		Describe(f.Name, func() {
			for gi := range f.TestGroups {
				declareGroup(f, gi, func() Impl { return impl })
			}
		})
	}
}

func declareGroup(f *vectors.File, gi int, impl func() Impl) {
	g := &f.TestGroups[gi]
	args := []any{func(c Case) { suiterun.Conclude(Judge(impl(), c)) }}
	for _, t := range g.Tests {
		c := Case{File: f, Group: g, Test: t}
		args = append(args, Entry(c.Title(), Label(c.ID()), c))
	}
	DescribeTable(groupTitle(g), args...)
}

func groupTitle(g *vectors.Group) string {
	var b strings.Builder
	b.WriteString(g.Type)
	if g.Scheme != "" {
		b.WriteString(" " + g.Scheme)
	}
	if g.KeySize != 0 {
		b.WriteString(" key " + strconv.Itoa(g.KeySize))
	}
	if g.IVSize != 0 {
		b.WriteString(" iv " + strconv.Itoa(g.IVSize))
	}
	return b.String()
}
