package vectors

// errorKinds maps the flags of invalid tests to the error kind a strict
// implementation must report, in the words of package envelope and of
// the crypto-adapter contract. A flag absent here says nothing about the
// kind.
var errorKinds = map[string]string{
	"BadPadding": "padding", "NoPadding": "length",
	"TruncatedToken": "length", "IvOnly": "length",
	"EmptyToken": "length", "NotBlockMultiple": "length",
	"ModifiedTag": "tag", "TruncatedTag": "tag",
	"UrlSafe": "base64", "Unpadded": "base64",
	"LineWrappedLf": "base64", "LineWrappedCrlf": "base64",
	"EmbeddedSpace": "base64", "LeadingOrTrailingSpace": "base64",
	"TabInside": "base64",
	"NotJson":   "json", "NotObject": "json",
	"UpperCaseMember": "member", "MissingMember": "member",
	"NumberEpoch": "member", "ExtraMember": "member",
	"NonStringMember": "member", "EpochNotDigits": "member",
	"DuplicateMember":  "member",
	"PlaintextSuccess": "member", "EncryptedError": "member",
	"ResponseDataNotString": "member",
	"ResponseNotJson":       "json", "BodyNotJson": "json",
}

// ExpectedError returns the error kind the test's flags call for ("" when
// they say nothing). A token under a wrong key fails its padding check
// under CBC and its tag under GCM, so WrongKey depends on the scheme.
func (t Test) ExpectedError(scheme string) string {
	for _, f := range t.Flags {
		if k, ok := errorKinds[f]; ok {
			return k
		}
		if f == "WrongKey" {
			if scheme == "aes-256-gcm" {
				return "tag"
			}
			return "padding"
		}
	}
	return ""
}
