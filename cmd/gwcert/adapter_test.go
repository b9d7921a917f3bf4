package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The Go adapter answers each line in order, with the same id, and
// refuses what it cannot do with the contract's words.
func TestAdapterServesTheContract(t *testing.T) {
	key := strings.Repeat("00", 32)
	in := strings.Join([]string{
		`{"id":1,"op":"seal","scheme":"aes-256-cbc","key":"` + key + `","iv":"` + strings.Repeat("00", 16) + `","plaintext":""}`,
		`{"id":2,"op":"open","scheme":"aes-256-cbc","key":"` + key + `","token":"AAAA\nAAAA"}`,
		`{"id":3,"op":"frob","scheme":"aes-256-cbc","key":"` + key + `"}`,
		`not json`,
		`{"id":5,"op":"seal","scheme":"aes-256-gcm","key":"00","iv":"00","plaintext":""}`,
		`{"id":6,"op":"header","scheme":"aes-256-gcm","key":"` + key + `","iv":"` + strings.Repeat("00", 12) +
			`","client_id":"a","client_secret":"b","epoch":"-1"}`,
	}, "\n")
	var out bytes.Buffer
	err := Run(context.Background(), []string{"adapter"}, strings.NewReader(in), &out, &bytes.Buffer{})
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 6)
	want := []string{
		// AES-256 of one zero-padding block (16 x 0x10) under a zero key and IV,
		// as computed by openssl enc -aes-256-cbc -K 00..00 -iv 00..00 </dev/null.
		`{"id":1,"token":"AAAAAAAAAAAAAAAAAAAAAB94j+bYbDF1SWl/vwwH+kM="}`,
		`{"error":"base64","id":2}`,
		`{"error":"unsupported","id":3}`,
		`{"error":"invalid input: not JSON","id":null}`,
		`{"error":"invalid input: key","id":5}`,
		`{"error":"invalid input: epoch","id":6}`,
	}
	for i := range want {
		var got, exp map[string]any
		require.NoError(t, json.Unmarshal([]byte(lines[i]), &got))
		require.NoError(t, json.Unmarshal([]byte(want[i]), &exp))
		assert.Equal(t, exp, got, "line %d", i+1)
	}
}
