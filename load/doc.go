// Package load drives a gateway with encrypted requests through Vegeta
// and judges every answer as a client of the protocol would.
//
// A [Targeter] builds each request afresh: it renders the route's payload
// template (see [Placeholders] for the per-request fields such as
// {{seq}}), seals it as RequestData and seals new header secrets with the
// current epoch, each under a fresh IV, for one of several clients.
// Routes share the load by weight.
//
// An [Attack] runs the targeter with Vegeta at a constant rate or on a
// linear ramp, and judges every answer on the way in: a success is a 2xx
// answer whose ResponseData opens to JSON with the client's key and holds
// the route's expected member. Any other answer is a failure, and its
// vegeta.Result carries the reason in Error, such as "ResponseData does
// not open: padding" for a 200 whose token does not open.
//
// Results are Vegeta's own, so a sink can write them with
// vegeta.NewEncoder; `vegeta report` and `vegeta plot` read such files,
// and the results of several attackers ([Shard]) merge by decoding them
// into one [Aggregator]. Note that Vegeta's own report counts every
// status from 200 to 399 as a success whatever the Error says, so for
// an answer that did not open it lists the error but keeps its success
// ratio; the [Metrics] of this package do not count it as a success.
package load
