package checks_test

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/gwcert/gwcert/suites/checks"
)

func TestCatalogueIsWellFormed(t *testing.T) {
	id := regexp.MustCompile(`^[GCKSL]-[0-9]+(\.[0-9]+)?$`)
	seen := map[string]bool{}
	for _, d := range checks.All {
		assert.Regexp(t, id, d.ID)
		assert.False(t, seen[d.ID], "duplicate id %s", d.ID)
		seen[d.ID] = true
		assert.NotEmpty(t, d.Title, d.ID)
		assert.NotEmpty(t, d.Requirement, d.ID)
		assert.Contains(t, []string{"MUST", "SHOULD", "INFO"}, string(d.Level), d.ID)
	}
}

func TestSortedOrdersNumerically(t *testing.T) {
	var ids []string
	for _, d := range checks.Sorted() {
		if d.ID[0] == 'G' && d.Section == "6" {
			ids = append(ids, d.ID)
		}
	}
	assert.Equal(t, []string{"G-6.1", "G-6.2", "G-6.3", "G-6.4", "G-6.5", "G-6.6", "G-6.7",
		"G-6.8", "G-6.9", "G-6.10"}, ids)
}

func TestMustLookupPanicsOnUnknownID(t *testing.T) {
	assert.Panics(t, func() { checks.MustLookup("G-99.9") })
	assert.Equal(t, "6", checks.MustLookup("G-6.10").Section)
}
