package checks

import "github.com/gwcert/gwcert/reports"

const (
	must   = reports.Must
	should = reports.Should
	info   = reports.Note
)

// All is the catalogue, in the order the README lists it.
var All = []Def{
	// Known-answer vectors (suites/kat).
	{"K-2.1", "2", must, "AES-256-CBC tokens match the vectors",
		"Valid vectors seal to the exact token for the given IV and open to the exact plaintext; invalid ones (every padding defect, bad lengths, wrong key) are refused."},
	{"K-2.2", "2", must, "AES-256-GCM tokens match the vectors",
		"Valid vectors seal and open exactly; a modified or truncated tag and a wrong key are refused."},
	{"K-2.3", "2", must, "tokens are strict standard base64",
		"A token is standard base64 with '=' padding on one line; URL-safe characters, missing padding, whitespace and line breaks are refused."},
	{"K-3.1", "3", must, "header_secrets is built exactly",
		"The header JSON holds client_id, client_secret and epoch as strings and seals with the given IV to the vector's token."},
	{"K-3.2", "3", must, "header_secrets is parsed strictly",
		"A header with a misnamed, missing, extra, repeated or non-string member, an epoch that is not digits, or text that is not a JSON object is refused."},
	{"K-4.1", "4", must, "request bodies match the vectors",
		"header_secrets and the body {\"RequestData\":token} are exactly the vector's for fixed IVs and epoch."},
	{"K-5.1", "5", must, "answers are understood as the protocol says",
		"A 2xx ResponseData opens to JSON; any other answer is read as plain JSON and never decrypted; answers that break these rules are refused."},

	// Gateway conformance (suites/gateway).
	{"G-4.1", "4", must, "a valid call on every route succeeds",
		"A call with both headers and a sealed body, made as PROTOCOL.md section 4 shows, gets a 2xx answer on every route of the profile."},
	{"G-5.1", "5", must, "success answers are sealed ResponseData",
		"A 2xx answer is {\"ResponseData\":token} that opens with the client's key to JSON (holding the route's expected field, if the profile names one)."},
	{"G-5.2", "5", must, "failure answers are plain JSON",
		"A non-2xx answer is plain JSON, never encrypted and never holding ResponseData."},
	{"G-6.1", "6", must, "pass_key must be present and known",
		"A call without pass_key, or with a pass key the gateway does not know, is refused."},
	{"G-6.2", "6", must, "header_secrets must be present",
		"A call without header_secrets is refused."},
	{"G-6.3", "6", must, "header_secrets must open with this client's key to the three members",
		"A header that is plaintext, sealed with a wrong key or another client's key, not strict base64, or that opens to the wrong members is refused."},
	{"G-6.4", "6", must, "client_id and client_secret must match the pass key",
		"A header sealed with the right key but holding another client's ids or a wrong secret is refused."},
	{"G-6.5", "6", must, "an epoch older than the window is refused",
		"An epoch 301 s old is refused; one 300 s old (less the profile's clock margin) is accepted."},
	{"G-6.6", "6", should, "an epoch from the future is refused",
		"An epoch more than max_future_skew ahead, including a millisecond epoch read as seconds, is refused."},
	{"G-6.7", "6", should, "a replayed header_secrets is refused",
		"The same header_secrets token sent twice within the window is refused the second time (INFO against gateways that do not claim it)."},
	{"G-6.8", "6", must, "the body must be JSON with a string RequestData",
		"A plaintext body, a body without RequestData, with RequestData not a string, or not JSON at all is refused."},
	{"G-6.9", "6", must, "RequestData must open to JSON",
		"RequestData sealed with a wrong key, with bad padding, truncated, URL-safe or line-wrapped, or opening to non-JSON is refused."},
	{"G-6.10", "6", must, "an unknown route is refused",
		"A correctly sealed call to a path the gateway does not serve is refused."},

	// Security probes (suites/gateway).
	{"S-7.1", "7", should, "no padding oracle in the answers",
		"Bad padding, good padding with garbage content, a wrong length and bad base64 get identical answers (status, body and length)."},
	{"S-7.2", "7", info, "no padding oracle in the timing",
		"The answer times of bad-padding and good-padding-garbage calls do not separate them (a statistical probe; a blatant separation is a WARN)."},
	{"S-7.3", "7", should, "success answers use fresh IVs",
		"No IV or nonce repeats across at least 50 success answers, and none is all zero."},
	{"S-7.4", "7", should, "no secret in any error answer",
		"No error body carries the key, the client secret, the pass key or the decrypted header."},
	{"S-7.5", "7", should, "malformed input never gets a 5xx",
		"Every malformed call gets a 4xx answer, never a 5xx or a dropped connection."},
	{"S-7.6", "7", should, "a body that never ends is cut off",
		"A valid call whose body trickles in without end (chunked, a byte every 250 ms) is refused with a 4xx or its connection closed within the slow-sender wait, and the gateway then still serves a valid call."},

	// Encrypted load (gwcert load).
	{"L-5.1", "5", must, "under load every answer is a sealed success",
		"Every answer of the encrypted load is 2xx with ResponseData that opens to JSON (and holds the route's expected field), at least the --min-success share."},

	// Client certification (suites/client).
	{"C-4.1", "4", must, "every call carries both headers",
		"Each call sends pass_key and header_secrets."},
	{"C-4.2", "4", must, "every call is JSON",
		"Each call sends Content-Type: application/json."},
	{"C-3.1", "3", must, "header_secrets opens to exactly the three members",
		"header_secrets opens with the client's key to client_id, client_secret and epoch, lower case, all strings, nothing else."},
	{"C-3.2", "3", must, "the epoch is seconds and current",
		"The epoch is decimal seconds within the profile's skew of the gateway's clock (a millisecond epoch is a FAIL that says so)."},
	{"C-3.3", "3", must, "header_secrets is new for every call",
		"No header_secrets token is sent twice."},
	{"C-7.1", "7", must, "every IV is fresh",
		"Every IV or nonce across the session is unique and none is all zero (a fixed IV is a FAIL that says so)."},
	{"C-2.1", "2", must, "tokens are strict standard base64",
		"Every token sent is standard base64 with padding, with no whitespace or line breaks."},
	{"C-4.3", "4", must, "RequestData carries the step's payload",
		"RequestData opens to JSON equal to the step's payload."},
	{"C-5.1", "5", must, "the client understands success answers",
		"The JSON the program reports for a 2xx answer equals what the gateway sealed."},
	{"C-5.2", "5", must, "the client reads failure answers as plain JSON",
		"The program reports a non-2xx answer's plain JSON as it came, without trying to decrypt it."},
	{"C-0.1", "driver", must, "the driver keeps the contract",
		"The program answers every step with one JSON line, in order, and exits when stdin closes, within the timeout."},
}
