// Package checks is the catalogue of every check gwcert makes: its stable
// id, the PROTOCOL.md section it proves, how strongly the protocol asks
// for it, and the requirement in one sentence. Suites take names and
// levels from here, `gwcert checks` prints it, and the README's check
// catalogue is generated from it.
package checks

import (
	"sort"
	"strconv"
	"strings"

	"github.com/gwcert/gwcert/reports"
)

// Def defines one check.
type Def struct {
	ID          string        // stable id: G-, C-, K-, S- or L- and the section
	Section     string        // PROTOCOL.md section, or "driver" for the driver contract
	Level       reports.Level // MUST, SHOULD or INFO
	Title       string        // what is checked, a short line
	Requirement string        // the rule, one sentence
}

// Lookup returns the check with id.
func Lookup(id string) (Def, bool) {
	for _, d := range All {
		if d.ID == id {
			return d, true
		}
	}
	return Def{}, false
}

// MustLookup is Lookup for ids written in gwcert's own code; an unknown
// id there is a programming error.
func MustLookup(id string) Def {
	d, ok := Lookup(id)
	if !ok {
		panic("checks: unknown check id " + id)
	}
	return d
}

// Check returns a report check for d with the given verdict and reason.
func (d Def) Check(v reports.Verdict, reason string, ev *reports.Evidence) reports.Check {
	return reports.Check{ID: d.ID, Name: d.Title, Section: d.Section, Level: d.Level,
		Verdict: v, Reason: reason, Evidence: ev}
}

// Sorted returns the catalogue ordered by kind, then section and number.
func Sorted() []Def {
	out := append([]Def(nil), All...)
	sort.SliceStable(out, func(i, j int) bool { return less(out[i].ID, out[j].ID) })
	return out
}

var kindOrder = map[byte]int{'K': 0, 'G': 1, 'S': 2, 'L': 3, 'C': 4}

func less(a, b string) bool {
	if a[0] != b[0] {
		return kindOrder[a[0]] < kindOrder[b[0]]
	}
	pa, pb := strings.Split(a[2:], "."), strings.Split(b[2:], ".")
	for i := 0; i < len(pa) && i < len(pb); i++ {
		na, ea := strconv.Atoi(pa[i])
		nb, eb := strconv.Atoi(pb[i])
		if ea == nil && eb == nil && na != nb {
			return na < nb
		}
		if pa[i] != pb[i] {
			return pa[i] < pb[i]
		}
	}
	return len(pa) < len(pb)
}
