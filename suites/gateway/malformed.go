package gateway

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"

	"github.com/gwcert/gwcert/envelope"
)

// malformedCases is the catalogue of malformed input beyond the rules of
// section 6 one by one: repeated and oversized headers, epochs that are
// strings but not seconds, tokens of every bad shape, and bodies that
// are too big, not UTF-8, repeated or nested without end. Each is named
// by the check whose rule it breaks; the S-7.4 and S-7.5 sweeps send them
// all again. A body that never ends needs its own transport and is
// check S-7.6 (slowsender.go).
func malformedCases() []hostileCase {
	return append(malformedHeaderCases(), malformedBodyCases()...)
}

func malformedHeaderCases() []hostileCase {
	withExtra := func(id, name string, edit func(s *suite, c *call)) hostileCase {
		return hostileCase{id, name, false, func(s *suite) call {
			c := s.valid()
			edit(s, &c)
			return c
		}}
	}
	epoch := func(name, value string) hostileCase {
		return withExtra("G-6.5", "an epoch "+name, func(s *suite, c *call) {
			cl := s.t.Primary
			j := fmt.Sprintf(`{"client_id":%q,"client_secret":%q,"epoch":%q}`,
				cl.Cred.ClientID, cl.Cred.ClientSecret, value)
			c.headerSecrets = str(sealText(cl.Codec, []byte(j)))
		})
	}
	return []hostileCase{
		withExtra("G-6.1", "a pass_key of 8 KiB", func(s *suite, c *call) {
			c.passKey = str(strings.Repeat("A", 8<<10))
		}),
		withExtra("G-6.1", "pass_key sent twice with different values", func(s *suite, c *call) {
			c.extra = http.Header{envelope.HeaderPassKey: {"GWCERTSECONDPASSKEY234567234567"}}
		}),
		withExtra("G-6.3", "header_secrets sent twice with different values", func(s *suite, c *call) {
			c.extra = http.Header{envelope.HeaderSecretsName: {sealText(s.t.Primary.Codec, headerJSON(s.t.Primary, s.now().Unix()))}}
		}),
		withExtra("G-6.3", "a header_secrets of 32 KiB", func(s *suite, c *call) {
			c.headerSecrets = str(base64.StdEncoding.EncodeToString(make([]byte, 24<<10)))
		}),
		withExtra("G-6.3", "a header_secrets of padding only", func(s *suite, c *call) { c.headerSecrets = str("====") }),
		withExtra("G-6.3", "a header_secrets outside the base64 alphabet", func(s *suite, c *call) {
			c.headerSecrets = str(strings.Repeat("%", 64))
		}),
		withExtra("G-6.3", "a header_secrets one byte short of a block", func(s *suite, c *call) {
			c.headerSecrets = str(base64.StdEncoding.EncodeToString(make([]byte, 16+15)))
		}),
		epoch("with a plus sign", "+1727954878"),
		epoch("with a leading space", " 1727954878"),
		epoch("with a fraction", "1727954878.5"),
		epoch("with an exponent", "1.727954878e9"),
		epoch("that is negative", "-1727954878"),
		epoch("that is empty", ""),
		epoch("of 25 digits", strings.Repeat("9", 25)),
	}
}

func malformedBodyCases() []hostileCase {
	body := func(id, name string, make func(s *suite) []byte) hostileCase {
		return hostileCase{id, name, false, func(s *suite) call {
			c := s.valid()
			c.body = make(s)
			return c
		}}
	}
	return []hostileCase{
		body("G-6.8", "a body one byte over the size limit", func(s *suite) []byte {
			tok := sealText(s.t.Primary.Codec, s.firstRoute().Payload)
			head := `{"RequestData":"` + tok + `","pad":"`
			pad := int(s.profile.MaxBodyBytes) - len(head) - 2 + 1
			return []byte(head + strings.Repeat("x", max(pad, 0)) + `"}`)
		}),
		body("G-6.8", "a body that is not UTF-8", func(s *suite) []byte {
			return []byte("{\"RequestData\":\"\xff\xfe" + sealText(s.t.Primary.Codec, s.firstRoute().Payload) + "\"}")
		}),
		body("G-6.8", "RequestData given twice", func(s *suite) []byte {
			tok := sealText(s.t.Primary.Codec, s.firstRoute().Payload)
			return []byte(`{"RequestData":"` + tok + `","RequestData":"` + tok + `"}`)
		}),
		body("G-6.8", "JSON nested 100000 levels deep", func(*suite) []byte {
			return append(bytes.Repeat([]byte{'['}, 100000), bytes.Repeat([]byte{']'}, 100000)...)
		}),
		body("G-6.8", "RequestData as an array", func(*suite) []byte { return bodyWith([]string{"AAAA"}) }),
		body("G-6.8", "a JSON array instead of an object", func(*suite) []byte { return []byte(`["RequestData"]`) }),
		body("G-6.9", "RequestData of padding only", func(*suite) []byte { return bodyWith("====") }),
		body("G-6.9", "RequestData outside the base64 alphabet", func(*suite) []byte {
			return bodyWith(strings.Repeat("%", 64))
		}),
		body("G-6.9", "RequestData empty", func(*suite) []byte { return bodyWith("") }),
		body("G-6.9", "RequestData of 512 KiB of noise", func(*suite) []byte {
			return bodyWith(base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{0x5a}, 384<<10)))
		}),
		body("G-6.9", "RequestData with a space inside", func(s *suite) []byte {
			tok := sealText(s.t.Primary.Codec, s.firstRoute().Payload)
			return bodyWith(tok[:8] + " " + tok[8:])
		}),
	}
}
