package client

import (
	"bytes"
	"encoding/hex"
	"fmt"

	"github.com/gwcert/gwcert/reports"
)

// ivUse is one token's IV.
type ivUse struct {
	where string
	iv    []byte
	cv    *callView
}

// judgeIVs is C-7.1: across the session every token has its own IV, and
// none is all zero. A token sent again as it was (C-3.3's concern) counts
// once: it is the same message, not a new one under an old IV.
func judgeIVs(a *analysis) reports.Check {
	t := newTally("C-7.1", "tokens",
		"a fresh random IV (or GCM nonce) for every token: never all zero, never used twice")
	uses := a.ivUses()
	firstUse := map[string]string{}
	for _, u := range uses {
		key := string(u.iv)
		switch w, seen := firstUse[key]; {
		case allZero(u.iv):
			t.fail(u.where, "all-zero IV", u.cv)
		case seen:
			t.fail(u.where, fmt.Sprintf("repeats the IV %s of %s", ivHex(u.iv), w), u.cv)
		default:
			t.pass(u.cv)
		}
		if _, seen := firstUse[key]; !seen {
			firstUse[key] = u.where
		}
	}
	if len(uses) > 1 && len(firstUse) == 1 {
		t.headline = fmt.Sprintf("fixed IV: all %d tokens use the IV %s, repeated on every message",
			len(uses), ivHex(uses[0].iv))
	}
	return t.check(a, fmt.Sprintf("all %d tokens had their own IV, none all zero", t.judged))
}

// ivUses lists the IV of every distinct token the client sent.
func (a *analysis) ivUses() []ivUse {
	var uses []ivUse
	sent := map[string]bool{}
	add := func(token, where string, iv []byte, cv *callView) {
		if iv == nil || sent[token] {
			return
		}
		sent[token] = true
		uses = append(uses, ivUse{where: where, iv: iv, cv: cv})
	}
	for _, cv := range a.calls {
		add(cv.header.token, cv.where+" header_secrets", cv.header.iv, cv)
		add(cv.body.token, cv.where+" RequestData", cv.body.iv, cv)
	}
	return uses
}

func allZero(b []byte) bool { return len(bytes.Trim(b, "\x00")) == 0 }

func ivHex(iv []byte) string { return hex.EncodeToString(iv) }
