// Package brokengw holds deliberately broken gateways for gwcert's own
// tests. Each [Fixture] is the bundled mock gateway with exactly one
// behaviour of PROTOCOL.md broken, either by a tweak of its
// [mockgateway.Config] or by an http.Handler wrapped around it, and names
// the checks the gateway conformance suite must give a verdict on for
// that breakage.
//
// The fixtures prove that the suite notices each mistake; they are not
// gateways to learn from, and nothing outside gwcert's tests should
// serve them. They assume the bundled mock's profile
// ([profiles.Default]) and the public test credentials
// ([profiles.MockCredentials]), which is what [Serve] uses.
package brokengw
