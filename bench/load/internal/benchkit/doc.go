// Package benchkit holds what the load benchmark's helper programs share:
// the clients they agree on, the payloads they send, the Vegeta attack
// they run and the figures they hand back to the runner.
//
// Every program that uses it is a separate process, so that the runner
// can read each one's CPU time from the operating system.
package benchkit
