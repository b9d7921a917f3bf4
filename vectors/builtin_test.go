package vectors_test

import (
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gwcert/gwcert/vectors"
)

// NIST SP 800-38A, appendix F.2.5 (CBC-AES256.Encrypt), as published.
const (
	nistKey = "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4"
	nistIV  = "000102030405060708090a0b0c0d0e0f"
	nistPT  = "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51" +
		"30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710"
	nistCT = "f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d" +
		"39f23369a9d9bacfa530e26304231461b2eb05e2c39be9fcda6c19078c6a9d1b"
)

func builtin(t *testing.T) []*vectors.File {
	t.Helper()
	files, err := vectors.Builtin()
	require.NoError(t, err)
	return files
}

func byName(t *testing.T, files []*vectors.File, name string) *vectors.File {
	t.Helper()
	for _, f := range files {
		if f.Name == name {
			return f
		}
	}
	require.Failf(t, "file missing", "no vector file named %s", name)
	return nil
}

func TestBuiltinHoldsEveryVectorFileAndNoSchema(t *testing.T) {
	t.Parallel()
	var names []string
	for _, f := range builtin(t) {
		names = append(names, f.Name)
	}
	want := []string{
		"aes_256_cbc_test.json", "aes_256_gcm_test.json", "header_secrets_test.json",
		"request_test.json", "response_test.json", "token_encoding_test.json",
		"aes_cbc_pkcs5_test.json", "aes_gcm_test.json",
	}
	assert.Equal(t, want, names, "gwcert files first, then Wycheproof, each by name")
}

func TestBuiltinCountsAndIDs(t *testing.T) {
	t.Parallel()
	for _, f := range builtin(t) {
		var ids []int
		for _, g := range f.TestGroups {
			for _, tc := range g.Tests {
				ids = append(ids, tc.TcID)
			}
		}
		assert.Equal(t, f.NumberOfTests, len(ids), f.Name)
		assert.Positive(t, len(ids), f.Name)

		sort.Ints(ids)
		assert.Equal(t, 1, ids[0], "%s: tcIds start at 1", f.Name)
		for i := 1; i < len(ids); i++ {
			assert.NotEqual(t, ids[i-1], ids[i], "%s: tcId %d repeats", f.Name, ids[i])
		}
	}
}

func TestBuiltinKnownSizes(t *testing.T) {
	t.Parallel()
	files := builtin(t)
	assert.Equal(t, 216, byName(t, files, "aes_cbc_pkcs5_test.json").NumberOfTests)
	assert.Equal(t, 316, byName(t, files, "aes_gcm_test.json").NumberOfTests)
	assert.Equal(t, "AES-CBC-PKCS5", byName(t, files, "aes_256_cbc_test.json").Algorithm)
	assert.Equal(t, "GWCERT-RESPONSE", byName(t, files, "response_test.json").Algorithm)
}

func TestBuiltinNotesDescribeEveryFlag(t *testing.T) {
	t.Parallel()
	for _, f := range builtin(t) {
		for _, g := range f.TestGroups {
			for _, tc := range g.Tests {
				for _, flag := range tc.Flags {
					note, ok := f.Notes[flag]
					if assert.True(t, ok, "%s tcId %d: flag %s has no note",
						f.Name, tc.TcID, flag) {
						assert.NotEmpty(t, note.Description, "%s: note %s", f.Name, flag)
					}
				}
			}
		}
	}
}

func TestBuiltinGroupsNameTheirScheme(t *testing.T) {
	t.Parallel()
	protocolFiles := []string{
		"token_encoding_test.json", "header_secrets_test.json",
		"request_test.json", "response_test.json",
	}
	files := builtin(t)
	for _, name := range protocolFiles {
		var schemes []string
		for _, g := range byName(t, files, name).TestGroups {
			schemes = append(schemes, g.Scheme)
		}
		assert.Equal(t, []string{"aes-256-cbc", "aes-256-gcm"}, schemes, name)
	}
}

func TestNISTF25AppearsAsPublished(t *testing.T) {
	t.Parallel()
	f := byName(t, builtin(t), "aes_256_cbc_test.json")
	var raw, padded []vectors.Test
	for _, g := range f.TestGroups {
		for _, tc := range g.Tests {
			if tc.HasFlag("KtvNoPadding") {
				raw = append(raw, tc)
			}
			if tc.HasFlag("Ktv") {
				padded = append(padded, tc)
			}
		}
	}
	require.Len(t, raw, 1)
	require.Len(t, padded, 1)

	for _, tc := range []vectors.Test{raw[0], padded[0]} {
		assert.Equal(t, nistKey, tc.Key)
		assert.Equal(t, nistIV, tc.IV)
		assert.Equal(t, nistPT, tc.Msg)
		assert.Equal(t, vectors.Valid, tc.Result)
	}
	assert.Equal(t, nistCT, raw[0].CT, "raw ciphertext as published")
	require.Len(t, padded[0].CT, len(nistCT)+32, "padded form adds one block")
	assert.Equal(t, nistCT, padded[0].CT[:len(nistCT)], "padded form starts as published")
}

// The tags of test cases 13 to 18 of the GCM specification (McGrew and
// Viega), with the nonce size in bits of each.
func TestGCMSpecificationTagsAppearAsPublished(t *testing.T) {
	t.Parallel()
	want := map[string]int{
		"530f8afbc74536b9a963b4f1c4cb738b": 96,
		"d0d1c8a799996bf0265b98b5d48ab919": 96,
		"b094dac5d93471bdec1a502270e3cc6c": 96,
		"76fc6ece0f4e1768cddf8853bb2d551b": 96,
		"3a337dbf46a792c45e454913fe2ea8f2": 64,
		"a44a8266ee1c8eb0c8b5d4cf5ae9f19a": 480,
	}
	got := map[string]int{}
	for _, g := range byName(t, builtin(t), "aes_256_gcm_test.json").TestGroups {
		for _, tc := range g.Tests {
			if tc.HasFlag("Ktv") {
				got[tc.Tag] = g.IVSize
				assert.Len(t, tc.IV, g.IVSize/4, "tcId %d: iv matches ivSize", tc.TcID)
			}
		}
	}
	assert.Equal(t, want, got)
}

func TestHasFlag(t *testing.T) {
	t.Parallel()
	tc := vectors.Test{Flags: []string{"BadPadding", "ZeroPadding"}}
	assert.True(t, tc.HasFlag("ZeroPadding"))
	assert.False(t, tc.HasFlag("zeropadding"), "flags are case-sensitive")
	assert.False(t, tc.HasFlag("Ktv"))
	assert.False(t, vectors.Test{}.HasFlag("Ktv"))
}

// Every invalid test of gwcert's own files, and of Wycheproof's CBC file,
// has a flag that names its error kind. (Wycheproof's GCM file has invalid
// tests only for nonce sizes outside the protocol, which are skipped.)
func TestExpectedErrorCoversEveryInvalidTest(t *testing.T) {
	files, err := vectors.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if f.Name == "aes_gcm_test.json" {
			continue
		}
		for _, g := range f.TestGroups {
			for _, tc := range g.Tests {
				if tc.Result != vectors.Invalid {
					continue
				}
				scheme := g.Scheme
				if g.Type == "AeadTest" {
					scheme = "aes-256-gcm"
				}
				if tc.ExpectedError(scheme) == "" {
					t.Errorf("%s #%d (%v): no flag names the error kind", f.Name, tc.TcID, tc.Flags)
				}
			}
		}
	}
}
