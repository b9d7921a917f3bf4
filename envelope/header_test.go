package envelope_test

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"testing/quick"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gwcert/gwcert/envelope"
)

// The expected texts follow JSON.stringify's rules, written out by hand:
// escape '"', '\' and the C0 controls (short forms where JSON has them),
// keep everything else, including '/', DEL and non-ASCII, as it is.
func TestAppendHeaderJSONExact(t *testing.T) {
	cases := []struct {
		name, id, secret string
		epoch            int64
		want             string
	}{
		{"ascii", "GW-CLIENT-0001", "Zk3pQ9rT2vX8mW5n", 1727954878,
			`{"client_id":"GW-CLIENT-0001","client_secret":"Zk3pQ9rT2vX8mW5n","epoch":"1727954878"}`},
		{"empty", "", "", 0, `{"client_id":"","client_secret":"","epoch":"0"}`},
		{"quotes", `id "q"`, `"`, 1, `{"client_id":"id \"q\"","client_secret":"\"","epoch":"1"}`},
		{"backslash and slash", `a\b`, `c/d\`, 1,
			`{"client_id":"a\\b","client_secret":"c/d\\","epoch":"1"}`},
		{"short escapes", "\n\r\t", "\b\f", 1,
			`{"client_id":"\n\r\t","client_secret":"\b\f","epoch":"1"}`},
		{"other controls", "\x00\x01", "\x1f\x0b", 1,
			`{"client_id":"\u0000\u0001","client_secret":"\u001f\u000b","epoch":"1"}`},
		{"DEL kept", "a\x7fb", "x", 1,
			"{\"client_id\":\"a\x7fb\",\"client_secret\":\"x\",\"epoch\":\"1\"}"},
		{"non-ascii kept raw", "Zoë 商户", "🔑\u2028\u2029", 1,
			"{\"client_id\":\"Zoë 商户\",\"client_secret\":\"🔑\u2028\u2029\",\"epoch\":\"1\"}"},
		{"html characters kept", "<a&b>", "x", 1,
			`{"client_id":"<a&b>","client_secret":"x","epoch":"1"}`},
		{"invalid byte", "a\xffb", "\xc3", 1,
			"{\"client_id\":\"a\ufffdb\",\"client_secret\":\"\ufffd\",\"epoch\":\"1\"}"},
		{"encoded surrogate, one U+FFFD a byte", "\xed\xa0\x80", "x", 1,
			"{\"client_id\":\"\ufffd\ufffd\ufffd\",\"client_secret\":\"x\",\"epoch\":\"1\"}"},
		{"millisecond epoch", "a", "b", 1727954878123,
			`{"client_id":"a","client_secret":"b","epoch":"1727954878123"}`},
		{"negative epoch", "a", "b", -1, `{"client_id":"a","client_secret":"b","epoch":"-1"}`},
		{"largest epoch", "a", "b", math.MaxInt64,
			`{"client_id":"a","client_secret":"b","epoch":"9223372036854775807"}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := envelope.AppendHeaderJSON([]byte("prefix"), tc.id, tc.secret, tc.epoch)
			assert.Equal(t, "prefix"+tc.want, string(got))
		})
	}
}

// stdlibView is what encoding/json makes of s: s itself when it is valid
// UTF-8, otherwise s with each invalid byte replaced by U+FFFD.
func stdlibView(t testing.TB, s string) string {
	t.Helper()
	b, err := json.Marshal(s)
	require.NoError(t, err)
	var out string
	require.NoError(t, json.Unmarshal(b, &out))
	return out
}

// checkHeaderDecodes asserts that encoding/json reads the header JSON back
// to the given values and that ParseHeaderJSON agrees when the epoch is a
// valid one.
func checkHeaderDecodes(t testing.TB, id, secret string, epoch int64) {
	t.Helper()
	out := envelope.AppendHeaderJSON(nil, id, secret, epoch)
	require.True(t, utf8.Valid(out), "output is UTF-8")
	var m map[string]string
	require.NoError(t, json.Unmarshal(out, &m), "%q", out)
	want := map[string]string{
		"client_id":     stdlibView(t, id),
		"client_secret": stdlibView(t, secret),
		"epoch":         strconv.FormatInt(epoch, 10),
	}
	require.Equal(t, want, m, "%q", out)
	if epoch < 0 {
		return
	}
	h, err := envelope.ParseHeaderJSON(out)
	require.NoError(t, err, "%q", out)
	require.Equal(t, envelope.HeaderSecrets{ClientID: want["client_id"],
		ClientSecret: want["client_secret"], Epoch: want["epoch"]}, h)
}

// headerAlphabet mixes the characters that need care in a JSON string.
var headerAlphabet = []string{
	"a", "Z", "0", " ", "\"", "\\", "/", "\x00", "\x01", "\b", "\t", "\n", "\f", "\r", "\x1f",
	"\x7f", "é", "商", "🔑", "\u2028", "\u2029", "\ufeff", "\ufffd", "\U0010ffff", "<", "&",
	"\\u0041", "\xff", "\xc3", "\xed\xa0\x80", "\xe2\x82", "\xf4\x90\x80\x80",
}

// randomHeaderString returns a string of up to 24 pieces; validOnly keeps
// it to valid UTF-8.
func randomHeaderString(r *rand.Rand, validOnly bool) string {
	var b strings.Builder
	for n := r.IntN(25); n > 0; n-- {
		p := headerAlphabet[r.IntN(len(headerAlphabet))]
		if validOnly && !utf8.ValidString(p) {
			continue
		}
		b.WriteString(p)
	}
	return b.String()
}

func TestAppendHeaderJSONDecodesBackSeeded(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 5000; i++ {
		epoch := r.Int64() >> r.IntN(64)
		if i%3 == 0 {
			epoch = -epoch
		}
		checkHeaderDecodes(t, randomHeaderString(r, false), randomHeaderString(r, false), epoch)
	}
}

func TestAppendHeaderJSONDecodesBackQuick(t *testing.T) {
	prop := func(id, secret string, epoch int64) bool {
		checkHeaderDecodes(t, id, secret, epoch)
		return true
	}
	require.NoError(t, quick.Check(prop, &quick.Config{MaxCount: 2000}))
}

// Node's JSON.stringify is the reference the doc comment names: one node
// process gets a batch of triples and prints one document a line.
func TestAppendHeaderJSONMatchesNode(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not on PATH; the comparison with JSON.stringify needs it")
	}
	r := rand.New(rand.NewPCG(3, 4))
	var triples [][3]string
	for i := 0; i < 500; i++ {
		epoch := r.Int64() >> r.IntN(64)
		if i%4 == 0 {
			epoch = -epoch
		}
		triples = append(triples, [3]string{randomHeaderString(r, true),
			randomHeaderString(r, true), strconv.FormatInt(epoch, 10)})
	}
	input, err := json.Marshal(triples)
	require.NoError(t, err)

	const script = `const rows = JSON.parse(require("fs").readFileSync(0, "utf8"));
process.stdout.write(rows.map(([a, b, e]) =>
  JSON.stringify({client_id: a, client_secret: b, epoch: e})).join("\n"));`
	cmd := exec.Command(node, "-e", script)
	cmd.Stdin = strings.NewReader(string(input))
	out, err := cmd.Output()
	require.NoError(t, err)

	lines := strings.Split(string(out), "\n")
	require.Len(t, lines, len(triples))
	for i, tr := range triples {
		epoch, err := strconv.ParseInt(tr[2], 10, 64)
		require.NoError(t, err)
		got := envelope.AppendHeaderJSON(nil, tr[0], tr[1], epoch)
		require.Equal(t, lines[i], string(got), "triple %d: %q", i, tr)
	}
}

const headerSecretValue = "Zk3p-SECRET-VALUE-Zk3p"

func TestParseHeaderJSONAccepts(t *testing.T) {
	want := envelope.HeaderSecrets{ClientID: "GW-1", ClientSecret: headerSecretValue,
		Epoch: "1727954878"}
	id, ep := `"client_id":"GW-1"`, `"epoch":"1727954878"`
	sec := `"client_secret":"` + headerSecretValue + `"`
	docs := []string{
		"{" + id + "," + sec + "," + ep + "}",
		"{" + ep + "," + sec + "," + id + "}",
		"{" + sec + "," + id + "," + ep + "}",
		"{" + ep + "," + id + "," + sec + "}",
		" \t\r\n{ \n" + id + " ,\t" + sec + "\r\n," + ep + "\n}\n ",
		`{ "client_id" : "GW-1" , "client_secret" : "` + headerSecretValue +
			`" , "epoch" : "1727954878" }`,
		`{"client\u005fid":"GW\u002d1","client_secret":"` + headerSecretValue + `","epoch":"1727954878"}`,
		`{"client_id":"GW-1","client_secret":"` + headerSecretValue + `","epoch":"\u0031727954878"}`,
	}
	for _, doc := range docs {
		h, err := envelope.ParseHeaderJSON([]byte(doc))
		require.NoError(t, err, doc)
		assert.Equal(t, want, h, doc)
	}
}

func TestParseHeaderJSONEscapes(t *testing.T) {
	cases := map[string]string{
		`\"\\\/`:                 `"\/`,
		`\b\f\n\r\t`:             "\b\f\n\r\t",
		`\u00e9\u00E9`:           "éé",
		`\u5546\u6237`:           "商户",
		`\ud83d\udd11`:           "🔑",
		`\uD83D\uDD11`:           "🔑",
		`\ud800`:                 "\ufffd",
		`\udc00\ud800x`:          "\ufffd\ufffdx",
		`\ud83dx`:                "\ufffdx",
		`\ud83d\u0041`:           "\ufffdA",
		`\ud83d\ud83d\udd11`:     "\ufffd🔑",
		`\u0000`:                 "\x00",
		`raw é and 🔑 next to \n`: "raw é and 🔑 next to \n",
	}
	for escaped, want := range cases {
		doc := `{"client_id":"` + escaped + `","client_secret":"s","epoch":"1"}`
		h, err := envelope.ParseHeaderJSON([]byte(doc))
		require.NoError(t, err, doc)
		assert.Equal(t, want, h.ClientID, doc)

		var m map[string]string
		require.NoError(t, json.Unmarshal([]byte(doc), &m))
		assert.Equal(t, m["client_id"], h.ClientID, "agrees with encoding/json: %s", doc)
	}
}

type headerReject struct {
	name, doc string
	kind      envelope.Kind
	field     string // member name, or header_secrets for the document
}

func headerRejects() []headerReject {
	sec := `"client_secret":"` + headerSecretValue + `"`
	doc := func(members ...string) string { return "{" + strings.Join(members, ",") + "}" }
	id, ep := `"client_id":"GW-1"`, `"epoch":"1727954878"`
	valid := doc(id, sec, ep)
	m, j := envelope.KindMember, envelope.KindJSON
	const hs = "header_secrets"
	epochAs := func(v string) string { return doc(id, sec, `"epoch":`+v) }
	return []headerReject{
		{"Client_id", doc(`"Client_id":"GW-1"`, sec, ep), m, "Client_id"},
		{"EPOCH", doc(id, sec, `"EPOCH":"1727954878"`), m, "EPOCH"},
		{"missing client_id", doc(sec, ep), m, "client_id"},
		{"missing client_secret", doc(id, ep), m, "client_secret"},
		{"missing epoch", doc(id, sec), m, "epoch"},
		{"empty object", "{}", m, "client_id"},
		{"extra string member", doc(id, sec, ep, `"nonce":"x"`), m, "nonce"},
		{"extra number member first", doc(`"n":1`, id, sec, ep), m, "n"},
		{"epoch number", epochAs("1727954878"), m, "epoch"},
		{"epoch boolean", epochAs("true"), m, "epoch"},
		{"epoch null", epochAs("null"), m, "epoch"},
		{"epoch object", epochAs(`{"s":"1"}`), m, "epoch"},
		{"epoch array", epochAs(`["1"]`), m, "epoch"},
		{"client_secret null", doc(id, `"client_secret":null`, ep), m, "client_secret"},
		{"epoch 17e9", epochAs(`"17e9"`), m, "epoch"},
		{"epoch -1", epochAs(`"-1"`), m, "epoch"},
		{"epoch leading space", epochAs(`" 1"`), m, "epoch"},
		{"epoch trailing space", epochAs(`"1 "`), m, "epoch"},
		{"epoch 1.5", epochAs(`"1.5"`), m, "epoch"},
		{"epoch empty", epochAs(`""`), m, "epoch"},
		{"epoch 20 digits", epochAs(`"12345678901234567890"`), m, "epoch"},
		{"epoch fullwidth digit", epochAs(`"１"`), m, "epoch"},
		{"epoch hex", epochAs(`"0x1F"`), m, "epoch"},
		{"duplicate client_id", doc(id, sec, ep, id), m, "client_id"},
		{"duplicate epoch", doc(ep, id, sec, `"epoch":"1"`), m, "epoch"},
		{"duplicate by escape", doc(id, sec, ep, `"client\u005fid":"GW-1"`), m, "client_id"},
		{"form encoded", "client_id=GW-1&client_secret=" + headerSecretValue + "&epoch=1", j, hs},
		{"JSON array", `["GW-1","` + headerSecretValue + `","1727954878"]`, j, hs},
		{"JSON string", `"GW-1"`, j, hs},
		{"JSON number", `1727954878`, j, hs},
		{"JSON null", `null`, j, hs},
		{"empty input", "", j, hs},
		{"white space only", " \n", j, hs},
		{"byte order mark", "\ufeff" + valid, j, hs},
		{"comment", "/**/" + valid, j, hs},
		{"trailing word", valid + "x", j, hs},
		{"second object", valid + "{}", j, hs},
		{"trailing comma after object", valid + ",", j, hs},
		{"trailing comma in object", "{" + id + "," + sec + "," + ep + ",}", j, hs},
		{"missing colon", `{"client_id" "GW-1"}`, j, hs},
		{"missing comma", "{" + id + " " + sec + "}", j, hs},
		{"unclosed object", "{" + id + "," + sec + "," + ep, j, hs},
		{"single quotes", `{'client_id':'GW-1'}`, j, hs},
		{"bare name", `{client_id:"GW-1"}`, j, hs},
		{"invalid UTF-8 in value", doc("\"client_id\":\"GW-\xff\"", sec, ep), j, hs},
		{"invalid UTF-8 after an escape", doc("\"client_id\":\"\\n\xc3\"", sec, ep), j, hs},
		{"invalid UTF-8 in name", doc("\"client_id\xff\":\"GW-1\"", sec, ep), j, hs},
		{"unterminated string", `{"client_id":"GW-1`, j, hs},
		{"unterminated after escape", `{"client_id":"GW\n`, j, hs},
		{"backslash at the end", `{"client_id":"GW\`, j, hs},
		{"escape \\x", doc(`"client_id":"\x41"`, sec, ep), j, hs},
		{"escape \\'", doc(`"client_id":"\'"`, sec, ep), j, hs},
		{"escape \\U", doc(`"client_id":"\U0041"`, sec, ep), j, hs},
		{"short \\u", doc(`"client_id":"\u12"`, sec, ep), j, hs},
		{"non-hex \\u", doc(`"client_id":"\uZZZZ"`, sec, ep), j, hs},
		{"bad escape after high surrogate", doc(`"client_id":"\ud83d\uZZZZ"`, sec, ep), j, hs},
		{"raw tab in string", doc("\"client_id\":\"GW\t1\"", sec, ep), j, hs},
		{"raw line feed in string", doc("\"client_id\":\"GW\n1\"", sec, ep), j, hs},
		{"number value in broken JSON", `{"client_id":1,`, j, hs},
	}
}

func TestParseHeaderJSONRejects(t *testing.T) {
	for _, tc := range headerRejects() {
		t.Run(tc.name, func(t *testing.T) {
			h, err := envelope.ParseHeaderJSON([]byte(tc.doc))
			require.Error(t, err)
			if envelope.IsEpochError(err) {
				// Only a bad epoch value returns the members, for the
				// gateway's order of checks; the epoch stays as sent.
				assert.Equal(t, envelope.KindMember, tc.kind)
				assert.NotEmpty(t, h.ClientID)
			} else {
				assert.Zero(t, h, "no partial result")
			}
			var e *envelope.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tc.kind, e.Kind, "%v", err)
			// A member name outside the three is quoted in Field.
			assert.Equal(t, tc.field, strings.Trim(e.Field, `"`), "%v", err)
			assert.NotContains(t, err.Error(), headerSecretValue, "error repeats a member's value")
			assert.NotContains(t, err.Error(), "GW-1", "error repeats a member's value")
		})
	}
}

func TestHeaderSecretsNeverPrintTheSecret(t *testing.T) {
	h := envelope.HeaderSecrets{ClientID: "GW-1", ClientSecret: headerSecretValue, Epoch: "1727954878"}
	type wrapper struct{ H envelope.HeaderSecrets }
	outputs := []string{
		h.String(), h.GoString(), fmt.Sprint(h), fmt.Sprintf("%v", h), fmt.Sprintf("%+v", h),
		//lint:ignore S1025 every formatting verb is under test
		fmt.Sprintf("%#v", h), fmt.Sprintf("%s", h), fmt.Sprintf("%q", h), fmt.Sprintf("%v", &h),
		fmt.Sprintf("%+v", wrapper{h}), fmt.Sprintf("%#v", wrapper{h}), fmt.Sprintf("%v", []any{h}),
	}
	for _, out := range outputs {
		assert.NotContains(t, out, headerSecretValue)
		assert.NotContains(t, out, "Zk3p")
		assert.Contains(t, out, "GW-1")
		assert.Contains(t, out, "1727954878")
	}
}

func TestHeaderSecretsUnix(t *testing.T) {
	for epoch, want := range map[string]int64{
		"0": 0, "1727954878": 1727954878, "1727954878123": 1727954878123,
		"0001": 1, "9223372036854775807": math.MaxInt64,
	} {
		got, err := envelope.HeaderSecrets{Epoch: epoch}.Unix()
		require.NoError(t, err, epoch)
		assert.Equal(t, want, got, epoch)
	}
	for _, epoch := range []string{"", "-1", "+1", "1.5", " 1", "17e9", "9223372036854775808",
		"9999999999999999999", "12345678901234567890"} {
		_, err := envelope.HeaderSecrets{Epoch: epoch}.Unix()
		var e *envelope.Error
		require.ErrorAs(t, err, &e, epoch)
		assert.Equal(t, envelope.KindMember, e.Kind, epoch)
		assert.Equal(t, "epoch", e.Field, epoch)
	}
}
