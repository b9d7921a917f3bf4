#!/usr/bin/env node
// gwcert crypto adapter for Node.js 20, standard library only.
//
// gwcert starts this program, writes one JSON request a line on stdin and
// reads one JSON answer a line on stdout, in the same order, with the same
// "id". The program exits 0 when stdin closes. See README.md beside this
// file for the request and answer table.
//
// Tokens (PROTOCOL.md section 2), all in standard base64 with "=" padding:
//   aes-256-cbc  IV[16] || CBC-encrypt(PKCS#7-pad(plaintext))
//   aes-256-gcm  nonce[12] || ciphertext || tag[16], no additional data
//
// Nothing secret is ever written to stderr: no key, plaintext or header.
//
// The flag --bug=NAME switches on one deliberate client mistake, so that
// gwcert can prove its own suites catch it. Every broken path is a short
// branch marked "BROKEN (--bug=NAME)"; read past them for the correct code.
'use strict';

const crypto = require('node:crypto');
const readline = require('node:readline');

const KEY_BYTES = 32;
const BLOCK_BYTES = 16;
const CBC_IV_BYTES = 16;
const GCM_NONCE_BYTES = 12;
const GCM_TAG_BYTES = 16;
const TRUNCATED_TAG_BYTES = 12; // only used by --bug=truncate-tag

// Known deliberate mistakes, chosen with --bug=NAME (see README.md).
const BUGS = [
  'zero-pad',
  'url-safe',
  'iv-appended',
  'no-pad-check',
  'truncate-tag',
  'lenient-base64',
];

// The active mistake, or null for the correct adapter. Set once in main.
let activeBug = null;

// RequestFailure carries the exact text of an {"error": ...} answer.
class RequestFailure extends Error {}

function fail(text) {
  throw new RequestFailure(text);
}

// ---------------------------------------------------------------------------
// Input fields

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

// hexField decodes a hex string field. Buffer.from(s, 'hex') silently stops
// at the first bad character, so the shape is checked first.
function hexField(req, field) {
  const value = req[field];
  if (typeof value !== 'string' || !HEX.test(value)) {
    fail(`invalid input: ${field}`);
  }
  return Buffer.from(value, 'hex');
}

function keyField(req) {
  const key = hexField(req, 'key');
  if (key.length !== KEY_BYTES) {
    fail('invalid input: key');
  }
  return key;
}

function ivField(req, scheme) {
  const iv = hexField(req, 'iv');
  if (iv.length !== scheme.ivBytes) {
    fail('invalid input: iv');
  }
  return iv;
}

function stringField(req, field) {
  const value = req[field];
  if (typeof value !== 'string') {
    fail(`invalid input: ${field}`);
  }
  return value;
}

// ---------------------------------------------------------------------------
// Tokens: standard base64 (RFC 4648 section 4), strict on the way in

const STD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function encodeToken(bytes) {
  const token = bytes.toString('base64');

  // BROKEN (--bug=url-safe): the URL-safe alphabet instead of the standard one.
  if (activeBug === 'url-safe') {
    return token.replace(/\+/g, '-').replace(/\//g, '_');
  }
  return token;
}

// decodeToken accepts only canonical standard base64. Buffer.from(s,
// 'base64') is lenient (it takes '-', '_', whitespace and missing padding,
// and skips anything else), so the text is checked before decoding, and the
// result is encoded again to refuse non-zero unused bits in the last
// character (RFC 4648 section 3.5).
function decodeToken(token) {
  // BROKEN (--bug=url-safe): also take the URL-safe alphabet.
  if (activeBug === 'url-safe') {
    token = token.replace(/-/g, '+').replace(/_/g, '/');
  }
  // BROKEN (--bug=lenient-base64): drop whitespace and restore padding.
  if (activeBug === 'lenient-base64') {
    token = token.replace(/\s/g, '');
    token += '='.repeat((4 - (token.length % 4)) % 4);
  }

  if (token.length % 4 !== 0 || !STD_BASE64.test(token)) {
    fail('base64');
  }
  const bytes = Buffer.from(token, 'base64');
  if (bytes.toString('base64') !== token) {
    fail('base64');
  }
  return bytes;
}

// joinToken lays out IV, body (and tag) in protocol order.
function joinToken(iv, body) {
  // BROKEN (--bug=iv-appended): the IV goes after the ciphertext.
  if (activeBug === 'iv-appended') {
    return Buffer.concat([body, iv]);
  }
  return Buffer.concat([iv, body]);
}

// splitToken takes the IV (or nonce) of ivBytes off a decoded token.
function splitToken(bytes, ivBytes) {
  // BROKEN (--bug=iv-appended): the IV is read from the end.
  if (activeBug === 'iv-appended') {
    const cut = bytes.length - ivBytes;
    return { iv: bytes.subarray(cut), body: bytes.subarray(0, cut) };
  }
  return { iv: bytes.subarray(0, ivBytes), body: bytes.subarray(ivBytes) };
}

// ---------------------------------------------------------------------------
// PKCS#7 padding, done by hand so a bad pad answers "padding"

function pad(plaintext) {
  // BROKEN (--bug=zero-pad): zero bytes up to the block edge, none if aligned.
  if (activeBug === 'zero-pad') {
    const count = (BLOCK_BYTES - (plaintext.length % BLOCK_BYTES)) % BLOCK_BYTES;
    return Buffer.concat([plaintext, Buffer.alloc(count)]);
  }

  const count = BLOCK_BYTES - (plaintext.length % BLOCK_BYTES);
  return Buffer.concat([plaintext, Buffer.alloc(count, count)]);
}

// unpad checks that the pad is 1..16 bytes all equal to its length. The
// bytes are compared without stopping early, a good habit for receivers.
function unpad(padded) {
  const count = padded[padded.length - 1];

  // BROKEN (--bug=zero-pad): strip trailing zero bytes, check nothing.
  if (activeBug === 'zero-pad') {
    let end = padded.length;
    while (end > 0 && padded[end - 1] === 0) end--;
    return padded.subarray(0, end);
  }
  // BROKEN (--bug=no-pad-check): trust the last byte as the pad length.
  if (activeBug === 'no-pad-check') {
    return padded.subarray(0, Math.max(0, padded.length - count));
  }

  if (count < 1 || count > BLOCK_BYTES) {
    fail('padding');
  }
  let diff = 0;
  for (let i = padded.length - count; i < padded.length; i++) {
    diff |= padded[i] ^ count;
  }
  if (diff !== 0) {
    fail('padding');
  }
  return padded.subarray(0, padded.length - count);
}

// ---------------------------------------------------------------------------
// aes-256-cbc

function sealCbc(key, iv, plaintext) {
  const cipher = crypto.createCipheriv('aes-256-cbc', key, iv);
  cipher.setAutoPadding(false);
  const body = Buffer.concat([cipher.update(pad(plaintext)), cipher.final()]);
  return joinToken(iv, body);
}

function openCbc(key, bytes) {
  const minimum = CBC_IV_BYTES + BLOCK_BYTES;
  if (bytes.length < minimum || bytes.length % BLOCK_BYTES !== 0) {
    fail('length');
  }
  const { iv, body } = splitToken(bytes, CBC_IV_BYTES);

  const decipher = crypto.createDecipheriv('aes-256-cbc', key, iv);
  decipher.setAutoPadding(false);
  return unpad(Buffer.concat([decipher.update(body), decipher.final()]));
}

// ---------------------------------------------------------------------------
// aes-256-gcm

function tagBytes() {
  // BROKEN (--bug=truncate-tag): 12-byte tags on seal and on open.
  if (activeBug === 'truncate-tag') {
    return TRUNCATED_TAG_BYTES;
  }
  return GCM_TAG_BYTES;
}

function sealGcm(key, nonce, plaintext) {
  const cipher = crypto.createCipheriv('aes-256-gcm', key, nonce, {
    authTagLength: GCM_TAG_BYTES,
  });
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const tag = cipher.getAuthTag().subarray(0, tagBytes());
  return joinToken(nonce, Buffer.concat([ciphertext, tag]));
}

// openGcm verifies the tag before any plaintext leaves this function;
// Node hands out the update() output unverified, so it is dropped on failure.
function openGcm(key, bytes) {
  const tagLength = tagBytes();
  if (bytes.length < GCM_NONCE_BYTES + tagLength) {
    fail('length');
  }
  const { iv: nonce, body } = splitToken(bytes, GCM_NONCE_BYTES);
  const ciphertext = body.subarray(0, body.length - tagLength);
  const tag = body.subarray(body.length - tagLength);

  const decipher = crypto.createDecipheriv('aes-256-gcm', key, nonce, {
    authTagLength: tagLength,
  });
  decipher.setAuthTag(tag);
  const plaintext = decipher.update(ciphertext);
  try {
    decipher.final();
  } catch {
    fail('tag');
  }
  return plaintext;
}

// ---------------------------------------------------------------------------
// Requests

const SCHEMES = new Map([
  ['aes-256-cbc', { ivBytes: CBC_IV_BYTES, seal: sealCbc, open: openCbc }],
  ['aes-256-gcm', { ivBytes: GCM_NONCE_BYTES, seal: sealGcm, open: openGcm }],
]);

function seal(req, scheme) {
  const key = keyField(req);
  const iv = ivField(req, scheme);
  const plaintext = hexField(req, 'plaintext');
  return { token: encodeToken(scheme.seal(key, iv, plaintext)) };
}

function open(req, scheme) {
  const key = keyField(req);
  const token = stringField(req, 'token');
  const plaintext = scheme.open(key, decodeToken(token));
  return { plaintext: plaintext.toString('hex') };
}

// header builds the compact JSON of PROTOCOL.md section 3 and seals it.
function header(req, scheme) {
  const key = keyField(req);
  const iv = ivField(req, scheme);
  const secrets = JSON.stringify({
    client_id: stringField(req, 'client_id'),
    client_secret: stringField(req, 'client_secret'),
    epoch: stringField(req, 'epoch'),
  });
  const token = scheme.seal(key, iv, Buffer.from(secrets, 'utf8'));
  return { header_secrets: encodeToken(token) };
}

const OPS = new Map([
  ['seal', seal],
  ['open', open],
  ['header', header],
]);

// run dispatches one parsed request and returns the answer's members.
function run(req) {
  const op = OPS.get(req.op);
  const scheme = SCHEMES.get(req.scheme);
  if (op === undefined || scheme === undefined) {
    fail('unsupported');
  }
  return op(req, scheme);
}

// answer turns one input line into one answer object. It never throws.
function answer(line) {
  let req;
  try {
    req = JSON.parse(line);
  } catch {
    return { id: null, error: 'invalid input: not JSON' };
  }
  if (req === null || typeof req !== 'object' || Array.isArray(req)) {
    return { id: null, error: 'invalid input: not a JSON object' };
  }

  const id = req.id === undefined ? null : req.id;
  try {
    return { id, ...run(req) };
  } catch (err) {
    if (err instanceof RequestFailure) {
      return { id, error: err.message };
    }
    // An unexpected fault: its message is not echoed, as it could hold input.
    return { id, error: 'internal error' };
  }
}

// ---------------------------------------------------------------------------
// Program

// parseArgs returns the chosen --bug name, or null. Bad usage exits 2.
function parseArgs(args) {
  let bug = null;
  for (const arg of args) {
    if (!arg.startsWith('--bug=')) {
      usage(`unknown argument ${JSON.stringify(arg)}`);
    }
    bug = arg.slice('--bug='.length);
    if (!BUGS.includes(bug)) {
      usage(`unknown --bug value ${JSON.stringify(bug)}`);
    }
  }
  return bug;
}

function usage(problem) {
  process.stderr.write(`adapter: ${problem}\n`);
  process.stderr.write(`usage: node adapter.js [--bug=${BUGS.join('|')}]\n`);
  process.exit(2);
}

function main() {
  activeBug = parseArgs(process.argv.slice(2));

  // A reader that went away is not worth a stack trace.
  process.stdout.on('error', (err) => {
    process.stderr.write(`adapter: stdout: ${err.code || 'write error'}\n`);
    process.exit(1);
  });

  // Blank lines carry no request and get no answer. Each answer is written
  // whole, in order, before the next line is handled (writes to a pipe are
  // synchronous in Node on Linux; elsewhere they are queued in order and
  // drained before exit). With stdin closed and nothing left to write, the
  // program ends with status 0.
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (line.trim() === '') return;
    process.stdout.write(JSON.stringify(answer(line)) + '\n');
  });
}

main();
