package vectors

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

//go:embed wycheproof/*.json gwcert/*.json
var embedded embed.FS

// Builtin returns every vector file embedded in the package: gwcert's own
// files first, then the vendored Wycheproof files, each set sorted by name.
// Schema files are left out: a vector file is one with a "testGroups"
// member. Each call returns new values that the caller may change.
func Builtin() ([]*File, error) {
	paths, err := fs.Glob(embedded, "*/*.json")
	if err != nil {
		return nil, fmt.Errorf("vectors: listing embedded files: %w", err)
	}
	sort.Strings(paths)

	var files []*File
	for _, p := range paths {
		data, err := embedded.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("vectors: embedded %s: %w", p, err)
		}
		if isOtherJSON(data) {
			continue
		}
		f, err := decode("embedded "+p, path.Base(p), data)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}

// Load reads vector files from disk. The path names either one file, which
// must be a vector file, or a directory, whose *.json files that hold
// "testGroups" are loaded in name order while other JSON files (schemas) are
// skipped. Every error names the file and the cause. A file is refused when
// it is not JSON, when its numberOfTests differs from the tests it holds,
// when a tcId repeats, or when a test has a result other than valid, invalid
// or acceptable.
func Load(p string) ([]*File, error) {
	info, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("vectors: %w", err)
	}
	if info.IsDir() {
		return loadDir(p)
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("vectors: %w", err)
	}
	if isOtherJSON(data) {
		return nil, fmt.Errorf("vectors: %s: not a vector file (no testGroups member)", p)
	}
	f, err := decode(p, filepath.Base(p), data)
	if err != nil {
		return nil, err
	}
	return []*File{f}, nil
}

// loadDir loads the vector files of one directory, not its subdirectories.
func loadDir(dir string) ([]*File, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("vectors: %w", err)
	}

	var files []*File
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		p := filepath.Join(dir, e.Name())
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("vectors: %w", err)
		}
		if isOtherJSON(data) {
			continue
		}
		f, err := decode(p, e.Name(), data)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("vectors: %s: no vector files (JSON with testGroups) in it", dir)
	}
	return files, nil
}

// isOtherJSON reports whether data is well-formed JSON without a top-level
// testGroups member, such as a schema. Malformed data is not "other": it is
// handed to decode, which reports the error.
func isOtherJSON(data []byte) bool {
	if !json.Valid(data) {
		return false
	}
	var probe map[string]json.RawMessage
	if json.Unmarshal(data, &probe) != nil {
		return true
	}
	_, ok := probe["testGroups"]
	return !ok
}

// decode parses and checks one file. where names the file in errors; name
// becomes File.Name.
func decode(where, name string, data []byte) (*File, error) {
	var canonical bytes.Buffer
	if err := json.Compact(&canonical, data); err != nil {
		return nil, fmt.Errorf("vectors: %s: %w", where, describeJSONError(err))
	}

	var f File
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("vectors: %s: %w", where, describeJSONError(err))
	}
	if err := f.check(); err != nil {
		return nil, fmt.Errorf("vectors: %s: %w", where, err)
	}
	f.Name = name
	f.canonical = canonical.Bytes()
	return &f, nil
}

// describeJSONError adds the byte offset to a syntax error, which
// encoding/json reports without it.
func describeJSONError(err error) error {
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) {
		return fmt.Errorf("not valid JSON at byte %d: %w", syntax.Offset, err)
	}
	return err
}

// check verifies what the frame promises: unique tcIds, known result words
// and a numberOfTests equal to the real count.
func (f *File) check() error {
	if f.TestGroups == nil {
		return errors.New("no testGroups member")
	}
	seen := make(map[int]bool)
	for _, g := range f.TestGroups {
		for _, t := range g.Tests {
			if seen[t.TcID] {
				return fmt.Errorf("tcId %d appears more than once", t.TcID)
			}
			seen[t.TcID] = true
			if !knownResult(t.Result) {
				return fmt.Errorf("tcId %d: unknown result %q (want %s, %s or %s)",
					t.TcID, t.Result, Valid, Invalid, Acceptable)
			}
		}
	}
	if n := f.Count(); n != f.NumberOfTests {
		return fmt.Errorf("numberOfTests is %d but the file holds %d tests", f.NumberOfTests, n)
	}
	return nil
}

func knownResult(word string) bool {
	return word == Valid || word == Invalid || word == Acceptable
}
