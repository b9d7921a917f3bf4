package mockgateway

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// Check numbers a gateway check of PROTOCOL.md section 6. The gateway
// runs them in this order and stops at the first that fails.
type Check int

// The checks of PROTOCOL.md section 6.
const (
	CheckPassKey       Check = 1 + iota // pass_key present and known
	CheckHeaderPresent                  // header_secrets present
	CheckHeaderSecrets                  // header_secrets opens to the three string members
	CheckCredentials                    // client_id and client_secret match the pass key
	CheckEpochAge                       // epoch is decimal seconds, not older than the window
	CheckEpochFuture                    // epoch not further ahead than the skew
	CheckReplay                         // header_secrets token not seen before
	CheckBody                           // body is JSON with a string RequestData, small enough
	CheckRequestData                    // RequestData opens to a JSON document
	CheckRoute                          // the route exists
	CheckHandler                        // the route answers
)

var checkNames = [...]string{
	CheckPassKey:       "pass_key",
	CheckHeaderPresent: "header_secrets present",
	CheckHeaderSecrets: "header_secrets",
	CheckCredentials:   "client credentials",
	CheckEpochAge:      "epoch age",
	CheckEpochFuture:   "epoch future skew",
	CheckReplay:        "replay",
	CheckBody:          "request body",
	CheckRequestData:   "RequestData",
	CheckRoute:         "route",
	CheckHandler:       "handler",
}

// String returns the check's short name, such as "epoch age".
func (c Check) String() string {
	if c >= CheckPassKey && c <= CheckHandler {
		return checkNames[c]
	}
	return "check(" + strconv.Itoa(int(c)) + ")"
}

// failKind is a way a call can fail: one of the checks 1 to 10 (their
// numbers), an injected fault or an internal error.
type failKind int

const (
	kindInjected failKind = failKind(CheckHandler) + 1 + iota
	kindInternal
)

// failure is the answer to one kind of failure; body is built once.
type failure struct {
	status int
	desc   string
	body   []byte
}

// failures maps each kind of failure to its status and statusDesc. The
// texts of checks 1 to 10 are those of PROTOCOL.md section 6.
var failures = [...]failure{
	failKind(CheckPassKey):       {status: 401, desc: "invalid pass_key"},
	failKind(CheckHeaderPresent): {status: 401, desc: "missing header_secrets"},
	failKind(CheckHeaderSecrets): {status: 401, desc: "invalid header_secrets"},
	failKind(CheckCredentials):   {status: 401, desc: "invalid client credentials"},
	failKind(CheckEpochAge):      {status: 401, desc: "epoch timeout"},
	failKind(CheckEpochFuture):   {status: 401, desc: "epoch timeout"},
	failKind(CheckReplay):        {status: 401, desc: "replayed header_secrets"},
	failKind(CheckBody):          {status: 400, desc: "invalid request body"},
	failKind(CheckRequestData):   {status: 400, desc: "invalid RequestData"},
	failKind(CheckRoute):         {status: 404, desc: "unknown route"},
	kindInjected:                 {status: http.StatusServiceUnavailable, desc: "injected fault"},
	kindInternal:                 {status: http.StatusInternalServerError, desc: "internal error"},
}

func init() {
	for i := range failures {
		f := &failures[i]
		if f.status != 0 {
			f.body = failureBody(f.status, f.desc)
		}
	}
}

// failureBody builds {"status":"FAILURE","statusCode":N,"statusDesc":T}.
func failureBody(status int, desc string) []byte {
	text, _ := json.Marshal(desc) // a string always marshals
	b := []byte(`{"status":"FAILURE","statusCode":`)
	b = strconv.AppendInt(b, int64(status), 10)
	b = append(b, `,"statusDesc":`...)
	b = append(b, text...)
	return append(b, '}')
}
