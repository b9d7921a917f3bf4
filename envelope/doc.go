// Package envelope implements the encrypted gateway protocol of PROTOCOL.md:
// sealing and opening tokens, building and strictly parsing the
// header_secrets header, and building requests and opening responses.
//
// A token is standard base64 (RFC 4648 section 4, with padding, no line
// breaks) of the IV or nonce followed by the ciphertext. Two schemes exist:
// [CBC] (the default: AES-256-CBC with PKCS#7 padding) and [GCM]
// (AES-256-GCM, 12-byte nonce, 16-byte tag, no additional data).
//
// Malformed input is reported as an [*Error] whose [Kind] names the rule
// that broke, so a harness can say why a token was refused. A gateway must
// not show that detail to its peer; it collapses every decoding failure to
// one answer.
//
// A [Codec] holds the cipher for one key. It is set up once and is safe for
// concurrent use; sealing appends into buffers the caller owns, so the hot
// path allocates nothing it does not return.
//
// The package imports nothing else of gwcert.
package envelope
