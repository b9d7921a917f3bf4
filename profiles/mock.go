package profiles

// MockCredentials are the fixed credentials of the two clients the bundled
// mock gateway knows, keyed by client name (Primary and Peer).
//
// They are FOR TESTS ONLY and PUBLIC: they are written here, in mock.yaml
// and in the output of `gwcert mock`, so that anyone can drive the mock.
// Never use them with a real gateway. Keys are 32 bytes in standard base64
// (key_encoding base64); pass keys are 52 base32 characters. Treat the map
// as read-only: the mock and the tests share it.
var MockCredentials = map[string]Credentials{
	Primary: {
		PassKey:      "M7KZP7WVDUVPSBP7DOVUHLAQ7FRKBJ3WJ4JBNCZ4LIJKZAQ2UX7Q",
		ClientID:     "gwcert-mock-primary",
		ClientSecret: "504ef743c4f4faacff86d3d6aa7a29668b24a5ea",
		Key:          "dVLYwtJ1Sqhbbd1V32QgrDLeZeRXG0+O0fE17E2k7vY=",
	},
	Peer: {
		PassKey:      "JTR2IRIADOGVFMLHAWFFF5KEKWWKZ3N2AU3JPMKECO6I7CDHH3BA",
		ClientID:     "gwcert-mock-peer",
		ClientSecret: "ec4de5f254b91bdae39cb0e32a9777bce76fdeeb",
		Key:          "F20/PCuZX9+eRMby9L2ePLx/0B/bNWqTooYxJvbQKSI=",
	},
}
