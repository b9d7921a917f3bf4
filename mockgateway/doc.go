// Package mockgateway is a faithful gateway for the encrypted protocol of
// PROTOCOL.md: an [http.Handler] that knows a set of clients, applies the
// checks of section 6 in their order, serves routes, records every
// exchange and can inject faults. It runs in-process behind httptest or
// standalone through [Gateway.Start].
//
// # Checks and answers
//
// Every call goes through the checks numbered 1 to 10 ([CheckPassKey] to
// [CheckRoute]) and stops at the first that fails. A failure is answered
// with its status and the plain JSON body
// {"status":"FAILURE","statusCode":<status>,"statusDesc":"<text>"}, the
// same bytes for every cause of one check, so that a peer cannot tell a
// bad padding from a good padding around garbage. A call that passes them
// all reaches its route ([CheckHandler]); a 2xx answer is sealed with the
// client's key under a fresh IV as {"ResponseData":"<token>"}.
//
// Choices the protocol leaves open, made here:
//
//   - Header names match without regard to case. A header sent more than
//     once with the same value counts once; with different values it is
//     refused by that header's check (pass_key by check 1, header_secrets
//     by check 3). An empty header_secrets counts as missing.
//   - The pass key is found by comparing the SHA-256 digest of the value
//     sent with that of every registered pass key, in constant time and
//     without stopping at a match; client id and client secret are
//     compared the same way. Neither content nor length leaks through
//     timing.
//   - An epoch that is not decimal seconds (letters, a fraction, an empty
//     string) fails check 5, "epoch timeout", as the table of section 6
//     says; header_secrets itself is refused by check 3 only when it does
//     not open or is not an object of exactly the three string members.
//   - Epochs are compared in whole seconds against the clock's Unix time:
//     an epoch exactly EpochWindow old passes, one second more fails.
//   - A route served under another method is an unknown route (404); the
//     gateway has no 405.
//   - Content-Type is not checked: the protocol does not make it a check.
//   - The body is read at most MaxBodyBytes; more is refused by check 8.
//
// Injected faults and a panic inside the handler are the only 5xx
// answers; malformed input never yields one.
//
// # Recorder and logs
//
// The recorder keeps the last exchanges with their wire headers (pass_key
// masked), tokens, opened payloads and check verdicts, but never the
// client secret; see [Exchange]. The logger gets one line per exchange and
// never a key, a secret, a full pass key or an opened header.
package mockgateway
