package client

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gwcert/gwcert/reports"
)

// headerMembers are the members of header_secrets, as written.
var headerMembers = []string{"client_id", "client_secret", "epoch"}

// judgeHeaderShape is C-3.1: header_secrets opens with the client's key
// to exactly the three lower-case string members, holding this client's
// id and secret.
func judgeHeaderShape(a *analysis) reports.Check {
	t := newTally("C-3.1", "calls", `{"client_id":"<the client id>",`+
		`"client_secret":"<the client secret>","epoch":"<seconds>"} sealed with the client's key: `+
		"exactly these members, lower case, all strings")
	for _, cv := range a.calls {
		if cv.header.count > 0 {
			t.judge(cv.where, a.headerShapeFault(cv.header), cv)
		}
	}
	return t.check(a, fmt.Sprintf("all %d header_secrets opened to the three members of this client",
		t.judged))
}

func (a *analysis) headerShapeFault(h headerView) string {
	switch {
	case h.plain:
		return "header_secrets is sent unencrypted: it is plain JSON, not a token"
	case !h.opened:
		return "header_secrets " + h.openErr.Error()
	case h.notObject:
		return "header_secrets opens to text that is not one JSON object"
	}
	if why := membersFault(h.members); why != "" {
		return why
	}
	id, secret := stringMember(h, "client_id"), stringMember(h, "client_secret")
	switch {
	case id != a.w.creds.ClientID:
		return fmt.Sprintf("client_id %q is not this client's", cut(id, 60))
	case secret != a.w.creds.ClientSecret:
		return "client_secret is not this client's (the value is not shown)"
	}
	return ""
}

// membersFault says how the members differ from the three of the
// protocol, or "".
func membersFault(ms []member) string {
	seen := map[string]bool{}
	for _, m := range ms {
		want := protocolName(m.name)
		switch {
		case want == "":
			return fmt.Sprintf("unexpected member %q", cut(m.name, 40))
		case m.name != want:
			return fmt.Sprintf("member %q must be written %q: the names are lower case", m.name, want)
		case seen[want]:
			return fmt.Sprintf("member %q appears twice", want)
		case jsonKind(m.value) != "string":
			return fmt.Sprintf("%s is a JSON %s, not a string", want, jsonKind(m.value))
		}
		seen[want] = true
	}
	for _, name := range headerMembers {
		if !seen[name] {
			return fmt.Sprintf("member %q is missing", name)
		}
	}
	return ""
}

// protocolName returns the header member that name spells, in any case,
// or "".
func protocolName(name string) string {
	for _, n := range headerMembers {
		if strings.EqualFold(n, name) {
			return n
		}
	}
	return ""
}

// jsonKind names the type of a JSON value.
func jsonKind(v json.RawMessage) string {
	t := strings.TrimSpace(string(v))
	switch {
	case t == "":
		return "nothing"
	case t[0] == '"':
		return "string"
	case t[0] == '{':
		return "object"
	case t[0] == '[':
		return "array"
	case t == "true" || t == "false":
		return "boolean"
	case t == "null":
		return "null"
	}
	return "number"
}

func stringMember(h headerView, name string) string {
	v, _ := h.member(name)
	var s string
	json.Unmarshal(v, &s) // membersFault has checked that it is a string
	return s
}

// judgeEpoch is C-3.2: the epoch is decimal seconds within the profile's
// window and skew of the gateway's clock when the call arrived.
func judgeEpoch(a *analysis) reports.Check {
	p := a.w.profile
	t := newTally("C-3.2", "calls", fmt.Sprintf("the current Unix time in whole seconds: at most "+
		"%d s old and %d s ahead of the gateway's clock", secs(p.EpochWindow), secs(p.MaxFutureSkew)))
	t.none = "no header_secrets could be read, so no epoch could be judged (see C-3.1)"
	for _, cv := range a.calls {
		v, ok := cv.header.member("epoch")
		if !cv.header.readable() || !ok || !cv.c.Recorded {
			continue // C-3.1 says why the epoch cannot be read
		}
		t.judge(cv.where, epochFault(epochText(v), cv.c.Exchange.Time, p.EpochWindow,
			p.MaxFutureSkew), cv)
	}
	return t.check(a, fmt.Sprintf("all %d epochs were current whole seconds", t.judged))
}

// epochText is the epoch as written: a string's content, or any other
// JSON value as it stands.
func epochText(v json.RawMessage) string {
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s
	}
	return strings.TrimSpace(string(v))
}

// epochFault judges an epoch against the gateway's clock now.
func epochFault(text string, now time.Time, window, skew time.Duration) string {
	v, err := strconv.ParseInt(text, 10, 64)
	if err != nil || text == "" || strings.Trim(text, "0123456789") != "" {
		return fmt.Sprintf("epoch %q is not decimal seconds", cut(text, 40))
	}
	ahead := v - now.Unix()
	switch {
	case ahead > secs(skew) && len(text) >= 13:
		return fmt.Sprintf("epoch %s has %d digits: it is in milliseconds, not seconds "+
			"(read as seconds it lies far in the future)", text, len(text))
	case ahead > secs(skew):
		return fmt.Sprintf("epoch %s is %d s ahead of the gateway's clock (max_future_skew %d s)",
			text, ahead, secs(skew))
	case -ahead > secs(window):
		return fmt.Sprintf("epoch %s is %d s old (epoch_window %d s)", text, -ahead, secs(window))
	}
	return ""
}

func secs(d time.Duration) int64 { return int64(d / time.Second) }

// judgeFreshHeader is C-3.3: no header_secrets value is sent twice.
func judgeFreshHeader(a *analysis) reports.Check {
	t := newTally("C-3.3", "calls", "a header_secrets built anew for every call")
	first := map[string]string{}
	for _, cv := range a.calls {
		tok := cv.header.token
		if cv.header.count == 0 || tok == "" {
			continue
		}
		if w, seen := first[tok]; seen {
			t.fail(cv.where, "sent the same header_secrets as "+w, cv)
			continue
		}
		first[tok] = cv.where
		t.pass(cv)
	}
	return t.check(a, fmt.Sprintf("all %d header_secrets values were different", t.judged))
}
