package client

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/gwcert/gwcert/mockgateway"
)

// Step is one call the program is asked to make, with the answer the
// mock gateway is scripted to give it. What the program must report
// follows from the answer; see [Step.Want].
type Step struct {
	ID      string          // the step's name on the driver's stdin, like "s01"
	Note    string          // what the step exercises, for reports
	Method  string          // HTTP method; the protocol's calls are all POST
	Path    string          // API path
	Payload json.RawMessage // the API payload the program must seal
	// Status is the status the mock answers a call that passes its
	// checks with; a 2xx answer is sealed, any other is sent plain.
	Status int
	// Answer is the JSON the mock answers with; nil echoes the payload
	// (only with a 2xx Status).
	Answer json.RawMessage
}

// Want returns what the program must report for the step when the mock
// answered as scripted: the status, and the opened ResponseData (2xx) or
// the plain body (any other status).
func (s Step) Want() (int, json.RawMessage) {
	if s.Answer == nil {
		return s.Status, s.Payload
	}
	return s.Status, s.Answer
}

// line returns the step as the JSON line the program reads.
func (s Step) line() []byte {
	b, err := json.Marshal(struct {
		Step    string          `json:"step"`
		Method  string          `json:"method"`
		Path    string          `json:"path"`
		Payload json.RawMessage `json:"payload"`
	}{s.ID, s.Method, s.Path, s.Payload})
	if err != nil {
		panic(fmt.Sprintf("client: step %s does not encode: %v", s.ID, err))
	}
	return append(b, '\n')
}

// script is the mock's answer to the step.
func (s Step) script() mockgateway.Answer {
	return mockgateway.Answer{Status: s.Status, JSON: s.Answer}
}

// Paths of the scenario besides the mock's built-in echo.
const (
	PayoutPath = "/api/payout"
	StatusPath = "/api/status"
)

// Routes are what the mock serves on the scenario's own paths when a
// call arrives without a scripted answer, such as a retry. Every step is
// scripted, so a program that makes one call per step never sees them.
func Routes() []mockgateway.Route {
	return []mockgateway.Route{
		{Path: PayoutPath, Method: http.MethodPost,
			Answer: json.RawMessage(`{"status":"ACCEPTED","statusDesc":"payout queued"}`)},
		{Path: StatusPath, Method: http.MethodPost,
			Answer: json.RawMessage(`{"status":"SUCCESS","statusDesc":"payout settled"}`)},
	}
}

// BulkPayloadBytes is the size of the largest payload of the scenario,
// just under 64 KiB: big enough to cross the buffer sizes of common HTTP
// stacks, small enough for any gateway's body limit.
const BulkPayloadBytes = 65000

// DefaultScenario returns the steps of a certification, in order. This
// version runs exactly these steps: a profile changes the gateway's
// settings (scheme, key encoding, epoch window) but cannot add steps or
// payloads, so every partner is certified on the same calls.
func DefaultScenario() []Step {
	return []Step{
		echo("s01", "a plain payout payload", `{"amount":"10.00","currency":"INR"}`),
		{ID: "s02", Note: "a nested payout, answered by the payout route", Method: "POST",
			Path: PayoutPath, Status: 200, Payload: raw(`{"reference":"PAY-000101",
				"amount":"2500.50","currency":"INR","beneficiary":{"name":"Asha Rao",
				"account":{"number":"001234567890","ifsc":"HDFC0001234"}}}`),
			Answer: raw(`{"reference":"PAY-000101","status":"ACCEPTED","amount":"2500.50"}`)},
		{ID: "s03", Note: "a status query", Method: "POST", Path: StatusPath, Status: 200,
			Payload: raw(`{"reference":"PAY-000101"}`),
			Answer: raw(`{"reference":"PAY-000101","status":"SUCCESS","amount":"2500.50",
				"settled_at":"2026-03-01T10:15:00Z"}`)},
		echo("s04", "non-ASCII text in several scripts", `{"name":"Zoë Müller-Ñúñez",
			"city":"München","note":"पैसा भेजें ✓",
			"memo":"送金 完了","emoji":"💸"}`),
		echo("s05", "an empty object", `{}`),
		echo("s06", "nested objects and arrays with every JSON type", `{"order":{"lines":[
			{"sku":"A-1","qty":"2","price":"19.99"},{"sku":"B-2","qty":"1","price":"5.00"}],
			"meta":{"tags":["x","y"],"flags":{"gift":true,"express":false},"note":null}}}`),
		{ID: "s07", Note: "an amount too large for a float, as a string", Method: "POST",
			Path: PayoutPath, Status: 200, Payload: raw(`{"reference":"PAY-000102",
				"amount":"12345678901234567890.12","currency":"INR"}`),
			Answer: raw(`{"reference":"PAY-000102","status":"ACCEPTED",
				"amount":"12345678901234567890.12"}`)},
		plainError("s08", "a business refusal, 422", PayoutPath, 422, "insufficient balance"),
		plainError("s09", "an outage, 503", StatusPath, 503, "service temporarily unavailable"),
		echo("s10", fmt.Sprintf("a payload of %d bytes", BulkPayloadBytes), string(bulkPayload())),
		{ID: "s11", Note: "a success with unusual but valid JSON", Method: "POST",
			Path: StatusPath, Status: 200, Payload: raw(`{"reference":"PAY-000103"}`),
			Answer: unusualAnswer()},
		echo("s12", "characters JSON and HTML escape", `{"memo":"line1\nline2\ttab \"quoted\"`+
			` back\\slash </script> & <b>bold</b>","path":"a/b\/c"}`),
		plainError("s13", "a validation refusal, 400", PayoutPath, 400, "invalid beneficiary account"),
		echo("s14", "amounts with trailing zeros, as strings",
			`{"amount":"0.01","fee":"0.00","total":"0.01","currency":"USD"}`),
		plainError("s15", "an unknown reference, 404", StatusPath, 404, "reference not found"),
		{ID: "s16", Note: "a created payout, 201", Method: "POST", Path: PayoutPath, Status: 201,
			Payload: raw(`{"reference":"PAY-000104","amount":"75.25","currency":"EUR"}`),
			Answer:  raw(`{"reference":"PAY-000104","status":"CREATED","links":[]}`)},
		plainError("s17", "a gateway error, 500", PayoutPath, 500, "internal error"),
		echo("s18", "an empty key, empty strings and empty containers",
			`{"":"empty key","blank":"","lists":[[],[[]],{}],"zero":"0"}`),
		{ID: "s19", Note: "a success whose answer is written with unicode escapes", Method: "POST",
			Path: StatusPath, Status: 200, Payload: raw(`{"reference":"PAY-000105"}`),
			Answer: raw(`{"message":"\u0050\u0061\u0079\u006d\u0065\u006e\u0074 ok",` +
				`"status":"SUCCESS","history":[]}`)},
		plainError("s20", "rate limited, 429", StatusPath, 429, "too many requests"),
		echo("s21", "long member names and a long string", fmt.Sprintf(
			`{"%s":"%s","short":"x"}`, strings.Repeat("k", 200), strings.Repeat("long text ", 300))),
		{ID: "s22", Note: "a payout answered with a list", Method: "POST", Path: PayoutPath,
			Status: 200, Payload: raw(`{"batch":["PAY-000106","PAY-000107"],"currency":"INR"}`),
			Answer: raw(`{"accepted":[{"reference":"PAY-000106","amount":"1.00"},
				{"reference":"PAY-000107","amount":"2.00"}],"rejected":[]}`)},
		echo("s23", "booleans and nulls at the top level", `{"dry_run":true,"callback":null,
			"retry":false}`),
		echo("s24", "the last call: a plain payload again", `{"amount":"1.00","currency":"INR"}`),
	}
}

// echo is a step on the mock's built-in echo, which seals the payload
// back.
func echo(id, note, payload string) Step {
	return Step{ID: id, Note: note, Method: "POST", Path: mockgateway.EchoPath, Status: 200,
		Payload: raw(payload)}
}

// plainError is a step the mock answers with a plain failure body.
func plainError(id, note, path string, status int, desc string) Step {
	answer := fmt.Sprintf(`{"status":"FAILURE","statusCode":%d,"statusDesc":%q}`, status, desc)
	return Step{ID: id, Note: note, Method: "POST", Path: path, Status: status,
		Payload: raw(`{"reference":"PAY-` + id + `","amount":"1.00","currency":"INR"}`),
		Answer:  raw(answer)}
}

// raw compacts a JSON literal of the scenario; a literal that is not
// JSON is a programming error.
func raw(s string) json.RawMessage {
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(s)); err != nil {
		panic(fmt.Sprintf("client: scenario JSON is invalid: %v: %.60s", err, s))
	}
	return json.RawMessage(b.Bytes())
}

// unusualAnswer is valid JSON that naive clients get wrong: deep
// nesting, unicode escapes (a surrogate pair among them), big numbers
// as strings, numbers in exponent form, empty containers and nulls.
func unusualAnswer() json.RawMessage {
	deep := `"bottom"`
	for i := 0; i < 16; i++ {
		deep = fmt.Sprintf(`{"level%02d":%s}`, 16-i, deep)
	}
	return raw(`{"deep":` + deep + `,"escaped":"\u00e9\u4e2d\ud83d\ude00 \"q\" \\ \/",` +
		`"big":"123456789012345678901234567890","ratio":2.5e-1,"count":1E2,` +
		`"empty_list":[],"empty_object":{},"nothing":null,"flags":[true,false,null]}`)
}

// bulkPayload returns a payout batch of exactly BulkPayloadBytes bytes.
func bulkPayload() []byte {
	var b strings.Builder
	b.WriteString(`{"reference":"BULK-0001","items":[`)
	const tail = `],"filler":""}`
	for i := 1; ; i++ {
		item := fmt.Sprintf(`{"line":"%04d","beneficiary":"Beneficiary %04d",`+
			`"amount":"%d.%02d","memo":"monthly payout batch"}`, i, i, 100+i, i%100)
		if b.Len()+len(item)+1+len(tail) > BulkPayloadBytes {
			break
		}
		if i > 1 {
			b.WriteByte(',')
		}
		b.WriteString(item)
	}
	pad := BulkPayloadBytes - b.Len() - len(tail)
	b.WriteString(`],"filler":"` + strings.Repeat("f", pad) + `"}`)
	return []byte(b.String())
}
