'use strict';

// generate.js writes gwcert's own vector files, in the Wycheproof frame, into
// vectors/gwcert/ (or into the directory given as its only argument):
//
//   aes_256_cbc_test.json      AES-256-CBC with PKCS#7 padding: valid and invalid
//   aes_256_gcm_test.json      AES-256-GCM: valid and invalid
//   token_encoding_test.json   the base64 text of a token, both schemes
//   header_secrets_test.json   the header_secrets token and the JSON inside it
//   request_test.json          whole request bodies with their header_secrets
//   response_test.json         response bodies a client must accept or refuse
//
// Every key, IV and message is derived from SHA-256 of a fixed label, so two
// runs give byte-identical files. Every expected output (ciphertext, tag,
// token, body) is computed with Node's crypto module. Published vectors (NIST
// SP 800-38A F.2.5 and test cases 13 to 18 of the GCM specification by McGrew
// and Viega) are copied in as published and compared with Node's output.
// Every invalid case is opened with Node and must be refused. Any mismatch
// stops the run with exit status 1 before a file is written.
//
// Usage: node vectors/gen/generate.js [output-dir]
// Needs Node.js 20 and nothing outside its standard library.

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const GENERATOR_VERSION = '1';
const CBC = 'aes-256-cbc';
const GCM = 'aes-256-gcm';
const SCHEMES = [CBC, GCM];
const NONCE_SIZE = { [CBC]: 16, [GCM]: 12 };
const EMPTY = Buffer.alloc(0);

// ---------------------------------------------------------------------------
// Deterministic inputs and small helpers

// seeded returns n bytes derived from label: SHA-256 of "gwcert/<label>/<i>"
// for i = 0, 1, ... concatenated and cut to n.
function seeded(label, n) {
  const blocks = [];
  for (let i = 0; blocks.length * 32 < n; i++) {
    blocks.push(crypto.createHash('sha256').update(`gwcert/${label}/${i}`).digest());
  }
  return Buffer.concat(blocks).subarray(0, n);
}

function hex(buf) {
  return Buffer.from(buf).toString('hex');
}

function unhex(text) {
  const buf = Buffer.from(text, 'hex');
  check(buf.length * 2 === text.length, `bad hex in a published value: ${text}`);
  return buf;
}

function check(ok, what) {
  if (!ok) {
    throw new Error(what);
  }
}

function utf8(text) {
  return Buffer.from(text, 'utf8');
}

// tc starts a test object so that tcId is its first member; vectorFile
// numbers the tests afterwards.
function tc(fields) {
  return Object.assign({ tcId: 0 }, fields);
}

// ---------------------------------------------------------------------------
// Node's ciphers

function cbcEncrypt(key, iv, data, autoPadding) {
  const c = crypto.createCipheriv(CBC, key, iv);
  c.setAutoPadding(autoPadding);
  return Buffer.concat([c.update(data), c.final()]);
}

// cbcDecrypt returns the plaintext, or null when Node refuses the input.
function cbcDecrypt(key, iv, ct, autoPadding = true) {
  try {
    const d = crypto.createDecipheriv(CBC, key, iv);
    d.setAutoPadding(autoPadding);
    return Buffer.concat([d.update(ct), d.final()]);
  } catch (err) {
    return null;
  }
}

function gcmSeal(key, iv, msg, aad = EMPTY) {
  const c = crypto.createCipheriv(GCM, key, iv, { authTagLength: 16 });
  c.setAAD(aad);
  const ct = Buffer.concat([c.update(msg), c.final()]);
  return { ct, tag: c.getAuthTag() };
}

// gcmOpen returns the plaintext, or null when Node refuses the input. The
// tag length is pinned to 16 bytes, so a truncated tag is refused.
function gcmOpen(key, iv, ct, tag, aad = EMPTY) {
  try {
    const d = crypto.createDecipheriv(GCM, key, iv, { authTagLength: 16 });
    d.setAAD(aad);
    d.setAuthTag(tag);
    return Buffer.concat([d.update(ct), d.final()]);
  } catch (err) {
    return null;
  }
}

// ---------------------------------------------------------------------------
// Tokens (PROTOCOL.md section 2)

// seal returns the decoded token: IV ‖ ciphertext for CBC, nonce ‖ ciphertext
// ‖ tag for GCM.
function seal(scheme, key, iv, msg) {
  if (scheme === CBC) {
    return Buffer.concat([iv, cbcEncrypt(key, iv, msg, true)]);
  }
  const { ct, tag } = gcmSeal(key, iv, msg);
  return Buffer.concat([iv, ct, tag]);
}

// open applies a strict receiver's rules to decoded token bytes and returns
// the plaintext or null.
function open(scheme, key, raw) {
  if (scheme === CBC) {
    if (raw.length < 32 || raw.length % 16 !== 0) {
      return null;
    }
    return cbcDecrypt(key, raw.subarray(0, 16), raw.subarray(16));
  }
  if (raw.length < 28) {
    return null;
  }
  const end = raw.length - 16;
  return gcmOpen(key, raw.subarray(0, 12), raw.subarray(12, end), raw.subarray(end));
}

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

// decodeStrict accepts only standard, padded, unbroken base64 whose unused
// bits are zero; anything else gives null.
function decodeStrict(token) {
  if (!STRICT_BASE64.test(token)) {
    return null;
  }
  const raw = Buffer.from(token, 'base64');
  return raw.toString('base64') === token ? raw : null;
}

function openToken(scheme, key, token) {
  const raw = decodeStrict(token);
  return raw === null ? null : open(scheme, key, raw);
}

// sealed builds a token of msg with seeded key and IV under label.
function sealed(scheme, label, msg) {
  const key = seeded(`${label}/key`, 32);
  const iv = seeded(`${label}/iv`, NONCE_SIZE[scheme]);
  const token = seal(scheme, key, iv, msg).toString('base64');
  check(openToken(scheme, key, token).equals(msg), `${label}: Node does not open its own token`);
  return { key, iv, msg, token };
}

// ---------------------------------------------------------------------------
// Notes: every flag any file may use. vectorFile copies the ones a file uses.

const NOTES = {
  Aad: {
    bugType: 'FUNCTIONALITY',
    description: 'The case uses additional authenticated data. gwcert tokens never carry ' +
      'any, so a runner of the gateway protocol skips it.',
  },
  BadPadding: {
    bugType: 'MISSING_STEP',
    description: 'The plaintext was encrypted with a padding other than PKCS#7, or with ' +
      'no padding, so decryption must fail the padding check.',
    effect: 'A receiver that accepts other paddings, or that answers bad padding ' +
      'differently from other failures, may act as a padding oracle.',
  },
  BodyNotJson: {
    bugType: 'MISSING_STEP',
    description: 'A 2xx answer whose body is not JSON at all.',
  },
  EmbeddedSpace: {
    bugType: 'MODIFIED_PARAMETER',
    description: 'A space character inside an otherwise canonical token.',
  },
  EmptyPayload: {
    bugType: 'EDGE_CASE',
    description: 'The API payload is the empty JSON object {}.',
  },
  EmptyToken: {
    bugType: 'EDGE_CASE',
    description: 'Both the IV and the ciphertext are empty: the token is the empty string.',
  },
  EncryptedError: {
    bugType: 'MISSING_STEP',
    description: 'A non-2xx answer that holds ResponseData. Failures are always plain ' +
      'JSON, so a client must not decrypt it and must treat the answer as malformed.',
  },
  EncryptedSuccess: {
    bugType: 'BASIC',
    description: 'A 2xx answer whose body is {"ResponseData":token}; the client opens the ' +
      'token and ends up with the JSON text in response.',
  },
  EpochNotDigits: {
    bugType: 'MODIFIED_PARAMETER',
    description: 'The epoch member is a string but not decimal digits (exponent, sign, ' +
      'space, fraction or empty).',
  },
  EpochZero: {
    bugType: 'EDGE_CASE',
    description: 'The epoch is "0". It is well formed; whether it is fresh is for the ' +
      'gateway to judge, not the header decoder.',
  },
  EscapedCharacters: {
    bugType: 'EDGE_CASE',
    description: 'A member value holds quotes, backslashes or a slash, which JSON escapes.',
  },
  ExtraMember: {
    bugType: 'MODIFIED_PARAMETER',
    description: 'The header object holds a member besides the three documented ones.',
  },
  FfPadding: {
    bugType: 'MISSING_STEP',
    description: 'The message is padded with 0xff bytes.',
  },
  IvNot96Bits: {
    bugType: 'FUNCTIONALITY',
    description: 'The nonce is not 12 bytes. The gwcert GCM token carries a 12-byte ' +
      'nonce, so a runner of the gateway protocol skips it.',
  },
  IvOnly: {
    bugType: 'EDGE_CASE',
    description: 'The token holds an IV and no ciphertext at all.',
  },
  Iso10126Padding: {
    bugType: 'MISSING_STEP',
    description: 'ISO 10126 padding: arbitrary bytes followed by the pad length.',
  },
  Iso7816Padding: {
    bugType: 'MISSING_STEP',
    description: 'ISO/IEC 7816-4 padding: 0x80 followed by zero bytes.',
  },
  Ktv: {
    bugType: 'BASIC',
    description: 'A published known-answer vector, copied as published and checked ' +
      'against Node when the file was generated.',
  },
  KtvNoPadding: {
    bugType: 'BASIC',
    description: 'Published NIST SP 800-38A F.2.5 vector: four whole blocks encrypted ' +
      'with no padding. ct is the raw CBC output; a runner checks it with padding ' +
      'turned off. It is not a gwcert token (as one, its last block fails the padding ' +
      'check); the padded token of the same message is the Ktv case.',
  },
  LeadingOrTrailingSpace: {
    bugType: 'MODIFIED_PARAMETER',
    description: 'A space before or after an otherwise canonical token.',
  },
  LineWrappedCrlf: {
    bugType: 'MODIFIED_PARAMETER',
    description: 'The token is broken into lines of 64 characters with CR LF.',
  },
  LineWrappedLf: {
    bugType: 'MODIFIED_PARAMETER',
    description: 'The token is broken into lines of 64 characters with LF.',
  },
  LongPayload: {
    bugType: 'FUNCTIONALITY',
    description: 'The API payload is exactly 300 bytes of UTF-8, several blocks long.',
  },
  MillisecondEpoch: {
    bugType: 'EDGE_CASE',
    description: 'The epoch has 13 digits (milliseconds). The header is well formed and ' +
      'decodes; rejecting it as far in the future is the freshness check of the ' +
      'gateway, not of the header decoder.',
  },
  MissingMember: {
    bugType: 'MISSING_STEP',
    description: 'One of client_id, client_secret or epoch is absent.',
  },
  MissingPadding: {
    bugType: 'MISSING_STEP',
    description: 'A block-aligned message encrypted without any pad block; its last ' +
      'byte is not a valid pad length.',
  },
  ModifiedTag: {
    bugType: 'AUTH_BYPASS',
    description: 'One bit of a valid tag is flipped.',
    effect: 'A receiver that does not check every tag bit accepts forged messages.',
  },
  NestedPayload: {
    bugType: 'FUNCTIONALITY',
    description: 'The API payload holds nested objects and arrays.',
  },
  NonAscii: {
    bugType: 'FUNCTIONALITY',
    description: 'Values hold characters outside ASCII, written in JSON as raw UTF-8.',
  },
  NonStringMember: {
    bugType: 'MODIFIED_PARAMETER',
    description: 'A member that must be a string is a number or null.',
  },
  NotBlockMultiple: {
    bugType: 'MODIFIED_PARAMETER',
    description: 'Five bytes are appended to a valid ciphertext, so its length is not a ' +
      'multiple of the block size.',
  },
  NotJson: {
    bugType: 'MODIFIED_PARAMETER',
    description: 'The header plaintext is not JSON.',
  },
  NotObject: {
    bugType: 'MODIFIED_PARAMETER',
    description: 'The header plaintext is JSON but not an object.',
  },
  NumberEpoch: {
    bugType: 'MODIFIED_PARAMETER',
    description: 'The epoch is a JSON number instead of a string of digits.',
  },
  PadByteZero: {
    bugType: 'MISSING_STEP',
    description: 'The last plaintext byte, the pad length, is 0x00.',
  },
  PadLongerThanBlock: {
    bugType: 'MISSING_STEP',
    description: 'The pad length byte claims 17 to 255 bytes, more than a block; the ' +
      'claimed bytes all carry that value.',
  },
  PadLongerThanMessage: {
    bugType: 'MISSING_STEP',
    description: 'The pad length byte is larger than the whole decrypted plaintext.',
    effect: 'A receiver that cuts the padding without checking may slice out of range.',
  },
  PlainError: {
    bugType: 'BASIC',
    description: 'A non-2xx answer with a plain JSON body; the client reads the body as is.',
  },
  PlaintextSuccess: {
    bugType: 'MISSING_STEP',
    description: 'A 2xx answer without ResponseData. Successes are always encrypted.',
  },
  Pseudorandom: {
    bugType: 'FUNCTIONALITY',
    description: 'Key, IV and message are derived from fixed seeds; the case checks ' +
      'correctness for one message length.',
  },
  ResponseDataNotString: {
    bugType: 'MODIFIED_PARAMETER',
    description: 'A 2xx answer whose ResponseData is not a JSON string.',
  },
  ResponseNotJson: {
    bugType: 'MISSING_STEP',
    description: 'A 2xx answer whose ResponseData opens correctly to text that is not JSON.',
  },
  TabInside: {
    bugType: 'MODIFIED_PARAMETER',
    description: 'A tab character inside an otherwise canonical token.',
  },
  TruncatedTag: {
    bugType: 'AUTH_BYPASS',
    description: 'The tag is cut to fewer than 16 bytes. The protocol always carries a ' +
      'full 16-byte tag.',
    effect: 'Accepting short tags makes forgery much cheaper.',
  },
  TruncatedToken: {
    bugType: 'MODIFIED_PARAMETER',
    description: 'A valid ciphertext cut so that its length is not a multiple of 16.',
  },
  Typical: {
    bugType: 'BASIC',
    description: 'Ordinary values in the documented form.',
  },
  Canonical: {
    bugType: 'BASIC',
    description: 'A token in standard base64 with = padding and no other characters.',
  },
  Unpadded: {
    bugType: 'MODIFIED_PARAMETER',
    description: 'The = padding of the base64 text is stripped.',
  },
  UpperCaseMember: {
    bugType: 'MODIFIED_PARAMETER',
    description: 'A member name differs in case from the documented lower-case name ' +
      '(the documentation sample shows "Client_id").',
  },
  DuplicateMember: {
    bugType: 'MODIFIED_PARAMETER',
    description: 'A member appears twice with different values.',
    effect: 'Parsers differ on which value wins, so two systems may read different ' +
      'client ids from one header.',
  },
  UrlSafe: {
    bugType: 'MODIFIED_PARAMETER',
    description: 'The token uses the URL-safe alphabet (- and _) instead of + and /.',
  },
  X923Padding: {
    bugType: 'MISSING_STEP',
    description: 'ANSI X9.23 padding: zero bytes followed by the pad length.',
  },
  ZeroPadding: {
    bugType: 'MISSING_STEP',
    description: 'The message is padded with zero bytes.',
  },
  WrongKey: {
    bugType: 'MISSING_STEP',
    description: 'A valid ciphertext made under another key, given with this key. For ' +
      'CBC the other key was chosen so that decryption fails the padding check.',
  },
};

// vectorFile numbers the tests from 1, counts them and gathers the notes of
// the flags they use.
function vectorFile(algorithm, schema, header, groups) {
  let count = 0;
  const used = new Set();
  for (const group of groups) {
    for (const test of group.tests) {
      test.tcId = ++count;
      test.flags.forEach((flag) => used.add(flag));
    }
  }
  const notes = {};
  for (const flag of [...used].sort()) {
    check(NOTES[flag] !== undefined, `${algorithm}: flag ${flag} has no note`);
    notes[flag] = NOTES[flag];
  }
  return {
    algorithm, schema, generatorVersion: GENERATOR_VERSION,
    numberOfTests: count, header, notes, testGroups: groups,
  };
}

// ---------------------------------------------------------------------------
// aes_256_cbc_test.json

const NIST_F25 = {
  key: '603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4',
  iv: '000102030405060708090a0b0c0d0e0f',
  pt: '6bc1bee22e409f96e93d7e117393172a' + 'ae2d8a571e03ac9c9eb76fac45af8e51' +
    '30c81c46a35ce411e5fbc1191a0a52ef' + 'f69f2445df4f9b17ad2b417be66c3710',
  ct: 'f58c4c04d6e5f1ba779eabfb5f7bfbd6' + '9cfc4e967edb808d679f777bc6702c7d' +
    '39f23369a9d9bacfa530e26304231461' + 'b2eb05e2c39be9fcda6c19078c6a9d1b',
};

function cbcCase(comment, flags, key, iv, msg, ct, result) {
  return tc({
    comment, flags, key: hex(key), iv: hex(iv), msg: hex(msg), ct: hex(ct), result,
  });
}

// mustRefuseCbc checks that Node refuses ct both as raw CBC with PKCS#7 and as
// a whole token.
function mustRefuseCbc(label, key, iv, ct) {
  check(cbcDecrypt(key, iv, ct) === null, `${label}: Node decrypts an invalid case`);
  check(open(CBC, key, Buffer.concat([iv, ct])) === null, `${label}: token opens`);
}

function nistCbcCases() {
  const [key, iv, pt] = [unhex(NIST_F25.key), unhex(NIST_F25.iv), unhex(NIST_F25.pt)];
  const raw = cbcEncrypt(key, iv, pt, false);
  check(raw.equals(unhex(NIST_F25.ct)), 'NIST F.2.5: Node ciphertext differs from published');
  check(cbcDecrypt(key, iv, raw, false).equals(pt), 'NIST F.2.5: Node does not decrypt it');
  const padded = cbcEncrypt(key, iv, pt, true);
  check(padded.subarray(0, 64).equals(raw), 'NIST F.2.5: padded form does not extend it');
  check(cbcDecrypt(key, iv, padded).equals(pt), 'NIST F.2.5: padded form does not open');
  const ktv = cbcCase('NIST SP 800-38A F.2.5 CBC-AES256.Encrypt as a gwcert token: the ' +
    'first 64 bytes of ct are the published ciphertext, the last block is the ' +
    'encrypted full pad block, computed with Node', ['Ktv'], key, iv, pt, padded, 'valid');
  const rawCase = cbcCase('NIST SP 800-38A F.2.5 CBC-AES256.Encrypt as published: four ' +
    'blocks, no padding; ct is the published ciphertext, checked with padding off',
  ['KtvNoPadding'], key, iv, pt, raw, 'valid');
  return { ktv, rawCase };
}

function pseudorandomCbcCases() {
  return [0, 1, 15, 16, 17, 31, 32, 33, 300].map((n) => {
    const s = sealed(CBC, `cbc/valid/${n}`, seeded(`cbc/valid/${n}/msg`, n));
    const ct = Buffer.from(s.token, 'base64').subarray(16);
    return cbcCase(`${n}-byte message`, ['Pseudorandom'], s.key, s.iv, s.msg, ct, 'valid');
  });
}

// padTo returns the number of pad bytes PKCS#7 would add to n bytes.
function padTo(n) {
  return 16 - (n % 16);
}

// badPadCase encrypts msg ‖ pad with padding off; Node must refuse it.
function badPadCase(flag, comment, msgLen, pad) {
  const label = `cbc/${flag}/${msgLen}/${hex(pad)}`;
  const key = seeded(`${label}/key`, 32);
  const iv = seeded(`${label}/iv`, 16);
  const msg = seeded(`${label}/msg`, msgLen);
  const pt = Buffer.concat([msg, pad]);
  check(pt.length % 16 === 0, `${label}: plaintext is not block aligned`);
  const ct = cbcEncrypt(key, iv, pt, false);
  mustRefuseCbc(label, key, iv, ct);
  return cbcCase(comment, [flag, 'BadPadding'], key, iv, msg, ct, 'invalid');
}

function paddingClassCases() {
  const cases = [];
  const add = (flag, what, lens, makePad) => {
    for (const n of lens) {
      const pad = makePad(n);
      const size = pad.length === 1 ? '1 byte' : `${pad.length} bytes`;
      cases.push(badPadCase(flag, `${n}-byte message, ${what} (${size})`, n, pad));
    }
  };
  add('ZeroPadding', 'zero bytes as padding', [0, 5, 15, 16, 20], (n) => Buffer.alloc(padTo(n)));
  add('FfPadding', '0xff bytes as padding', [0, 8, 15, 17], (n) => Buffer.alloc(padTo(n), 0xff));
  add('Iso7816Padding', '0x80 then zero bytes as padding', [0, 8, 15, 16],
    (n) => Buffer.concat([Buffer.from([0x80]), Buffer.alloc(padTo(n) - 1)]));
  add('X923Padding', 'zero bytes then the pad length', [0, 9, 14, 16],
    (n) => Buffer.concat([Buffer.alloc(padTo(n) - 1), Buffer.from([padTo(n)])]));
  add('Iso10126Padding', 'seeded bytes then the pad length', [0, 8, 14, 17],
    (n) => Buffer.concat([seeded(`cbc/iso10126/${n}`, padTo(n) - 1), Buffer.from([padTo(n)])]));
  return cases.concat(padValueCases());
}

// padValueCases covers pad length bytes that are out of range or zero.
function padValueCases() {
  const cases = [];
  for (const [n, v] of [[15, 17], [16, 32], [0, 128], [1, 255]]) {
    cases.push(badPadCase('PadLongerThanBlock', `${n}-byte message, then ${v} bytes of ` +
      `value ${v}: a check that only compares bytes would accept it`, n, Buffer.alloc(v, v)));
  }
  for (const [n, count, v] of [[0, 16, 17], [8, 8, 48], [17, 15, 33], [16, 16, 255]]) {
    cases.push(badPadCase('PadLongerThanMessage', `${n}-byte message, then ${count} bytes ` +
      `of value ${v}: the pad claims more than the ${n + count}-byte plaintext`, n,
    Buffer.alloc(count, v)));
  }
  const zeroPads = [[15, [0]], [31, [0]], [8, [7, 7, 7, 7, 7, 7, 7, 0]]];
  for (const [n, bytes] of zeroPads) {
    cases.push(badPadCase('PadByteZero', `${n}-byte message, padding ending in 0x00`, n,
      Buffer.from(bytes)));
  }
  return cases;
}

function missingPaddingCases() {
  return [16, 32, 48].map((n) => {
    for (let i = 0; ; i++) {
      const label = `cbc/missing/${n}/${i}`;
      const msg = seeded(`${label}/msg`, n);
      const last = msg[n - 1];
      if (last >= 1 && last <= 16) {
        continue;
      }
      const [key, iv] = [seeded(`${label}/key`, 32), seeded(`${label}/iv`, 16)];
      const ct = cbcEncrypt(key, iv, msg, false);
      mustRefuseCbc(label, key, iv, ct);
      return cbcCase(`${n}-byte message encrypted with no pad block; last byte ` +
        `0x${last.toString(16).padStart(2, '0')}`, ['MissingPadding', 'BadPadding'],
      key, iv, msg, ct, 'invalid');
    }
  });
}

// lengthCase builds a case whose ciphertext is a valid one reshaped by edit.
function lengthCase(flag, comment, label, msgLen, edit) {
  const s = sealed(CBC, label, seeded(`${label}/msg`, msgLen));
  const ct = edit(Buffer.from(s.token, 'base64').subarray(16), label);
  const iv = flag === 'EmptyToken' ? EMPTY : s.iv;
  mustRefuseCbc(label, s.key, iv, ct);
  return cbcCase(comment, [flag], s.key, iv, flag === 'IvOnly' ? EMPTY : s.msg, ct, 'invalid');
}

function lengthClassCases() {
  const cases = [];
  for (const [n, cut] of [[20, 31], [33, 40], [0, 15]]) {
    cases.push(lengthCase('TruncatedToken', `ct of a ${n}-byte message cut to ${cut} bytes`,
      `cbc/truncated/${n}`, n, (ct) => ct.subarray(0, cut)));
  }
  for (const i of [1, 2]) {
    cases.push(lengthCase('IvOnly', 'IV present, ciphertext empty', `cbc/ivonly/${i}`, 0,
      () => EMPTY));
  }
  cases.push(lengthCase('EmptyToken', 'IV and ciphertext both empty', 'cbc/empty', 0,
    () => EMPTY));
  for (const n of [10, 20, 40]) {
    cases.push(lengthCase('NotBlockMultiple', `ct of a ${n}-byte message with 5 bytes ` +
      'appended', `cbc/notmultiple/${n}`, n,
    (ct, label) => Buffer.concat([ct, seeded(`${label}/extra`, 5)])));
  }
  return cases;
}

function cbcWrongKeyCases() {
  return [0, 16, 33].map((n) => {
    for (let i = 0; ; i++) {
      const label = `cbc/wrongkey/${n}/${i}`;
      const s = sealed(CBC, label, seeded(`${label}/msg`, n));
      const testKey = seeded(`${label}/testkey`, 32);
      const ct = Buffer.from(s.token, 'base64').subarray(16);
      if (cbcDecrypt(testKey, s.iv, ct) !== null) {
        continue;
      }
      mustRefuseCbc(label, testKey, s.iv, ct);
      return cbcCase(`${n}-byte message sealed under another key; with this key the ` +
        'padding check fails', ['WrongKey'], testKey, s.iv, s.msg, ct, 'invalid');
    }
  });
}

function cbcFile() {
  const { ktv, rawCase } = nistCbcCases();
  const main = [ktv].concat(pseudorandomCbcCases(), paddingClassCases(),
    missingPaddingCases(), lengthClassCases(), cbcWrongKeyCases());
  const group = (tests) => ({ type: 'IndCpaTest', keySize: 256, ivSize: 128, tests });
  return vectorFile('AES-CBC-PKCS5', 'ind_cpa_test_schema_v1.json', [
    'AES-256-CBC with PKCS#7 padding as the gateway protocol uses it: the token is',
    'base64(iv ‖ ct); ct excludes the IV. Generated by vectors/gen/generate.js with',
    "Node's crypto module; the NIST SP 800-38A F.2.5 values are as published.",
    'The second group holds the published F.2.5 blocks without padding (KtvNoPadding).',
  ], [group(main), group([rawCase])]);
}

// ---------------------------------------------------------------------------
// aes_256_gcm_test.json

const GCM_KEY_15 = 'feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308';
const GCM_PT_15 = 'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72' +
  '1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255';
const GCM_PT_16 = GCM_PT_15.slice(0, 120);
const GCM_AAD_16 = 'feedfacedeadbeeffeedfacedeadbeefabaddad2';

// GCM_SPEC holds test cases 13 to 18 of "The Galois/Counter Mode of Operation
// (GCM)", McGrew and Viega, as published.
const GCM_SPEC = [
  {
    n: 13, key: '00'.repeat(32), iv: '00'.repeat(12), aad: '', pt: '', ct: '',
    tag: '530f8afbc74536b9a963b4f1c4cb738b',
  },
  {
    n: 14, key: '00'.repeat(32), iv: '00'.repeat(12), aad: '', pt: '00'.repeat(16),
    ct: 'cea7403d4d606b6e074ec5d3baf39d18', tag: 'd0d1c8a799996bf0265b98b5d48ab919',
  },
  {
    n: 15, key: GCM_KEY_15, iv: 'cafebabefacedbaddecaf888', aad: '', pt: GCM_PT_15,
    ct: '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa' +
      '8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad',
    tag: 'b094dac5d93471bdec1a502270e3cc6c',
  },
  {
    n: 16, key: GCM_KEY_15, iv: 'cafebabefacedbaddecaf888', aad: GCM_AAD_16, pt: GCM_PT_16,
    ct: '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa' +
      '8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662',
    tag: '76fc6ece0f4e1768cddf8853bb2d551b',
  },
  {
    n: 17, key: GCM_KEY_15, iv: 'cafebabefacedbad', aad: GCM_AAD_16, pt: GCM_PT_16,
    ct: 'c3762df1ca787d32ae47c13bf19844cbaf1ae14d0b976afac52ff7d79bba9de0' +
      'feb582d33934a4f0954cc2363bc73f7862ac430e64abe499f47c9b1f',
    tag: '3a337dbf46a792c45e454913fe2ea8f2',
  },
  {
    n: 18, key: GCM_KEY_15,
    iv: '9313225df88406e555909c5aff5269aa6a7a9538534f7da1e4c303d2a318a728' +
      'c3c0c95156809539fcf0e2429a6b525416aedbf5a0de6a57a637b39b',
    aad: GCM_AAD_16, pt: GCM_PT_16,
    ct: '5a8def2f0c9e53f1f75d7853659e2a20eeb2b22aafde6419a058ab4f6f746bf4' +
      '0fc0c3b780f244452da3ebf1c5d82cdea2418997200ef82e44ae7e3f',
    tag: 'a44a8266ee1c8eb0c8b5d4cf5ae9f19a',
  },
];

function gcmCase(comment, flags, v, result) {
  return tc({
    comment, flags, key: hex(v.key), iv: hex(v.iv), aad: hex(v.aad || EMPTY),
    msg: hex(v.msg), ct: hex(v.ct), tag: hex(v.tag), result,
  });
}

function gcmSpecCase(spec) {
  const [key, iv, aad, msg] = [spec.key, spec.iv, spec.aad, spec.pt].map(unhex);
  const { ct, tag } = gcmSeal(key, iv, msg, aad);
  const what = `GCM specification test case ${spec.n}`;
  check(ct.equals(unhex(spec.ct)), `${what}: Node ciphertext differs from published`);
  check(tag.equals(unhex(spec.tag)), `${what}: Node tag differs from published`);
  check(gcmOpen(key, iv, ct, tag, aad).equals(msg), `${what}: Node does not open it`);
  const flags = ['Ktv'];
  if (aad.length > 0) {
    flags.push('Aad');
  }
  if (iv.length !== 12) {
    flags.push('IvNot96Bits');
  }
  const comment = `${what} (McGrew and Viega), as published`;
  return gcmCase(comment, flags, { key, iv, aad, msg, ct, tag }, 'valid');
}

// gcmSealed seals a seeded message and splits the token into its parts.
function gcmSealed(label, msgLen) {
  const s = sealed(GCM, label, seeded(`${label}/msg`, msgLen));
  const raw = Buffer.from(s.token, 'base64');
  const ct = raw.subarray(12, raw.length - 16);
  return { key: s.key, iv: s.iv, msg: s.msg, ct, tag: raw.subarray(raw.length - 16) };
}

function mustRefuseGcm(label, v) {
  check(gcmOpen(v.key, v.iv, v.ct, v.tag) === null, `${label}: Node opens an invalid case`);
  const raw = Buffer.concat([v.iv, v.ct, v.tag]);
  check(open(GCM, v.key, raw) === null, `${label}: token opens`);
}

function gcmGeneratedCases() {
  const cases = [0, 1, 16, 17, 300].map((n) =>
    gcmCase(`${n}-byte message`, ['Pseudorandom'], gcmSealed(`gcm/valid/${n}`, n), 'valid'));
  for (const [byte, bit] of [[0, 0], [0, 7], [7, 3], [8, 0], [15, 0], [15, 7]]) {
    const label = `gcm/modtag/${byte}/${bit}`;
    const v = gcmSealed(label, 20);
    v.tag = Buffer.from(v.tag);
    v.tag[byte] ^= 1 << bit;
    mustRefuseGcm(label, v);
    cases.push(gcmCase(`bit ${bit} of tag byte ${byte} flipped`, ['ModifiedTag'], v, 'invalid'));
  }
  for (const size of [15, 12, 8]) {
    const label = `gcm/shorttag/${size}`;
    const v = gcmSealed(label, 20);
    v.tag = v.tag.subarray(0, size);
    mustRefuseGcm(label, v);
    cases.push(gcmCase(`tag cut to its first ${size} bytes; 20-byte message keeps the ` +
      'token over 28 bytes', ['TruncatedTag'], v, 'invalid'));
  }
  for (const n of [0, 16, 33]) {
    const label = `gcm/wrongkey/${n}`;
    const v = gcmSealed(label, n);
    v.key = seeded(`${label}/testkey`, 32);
    mustRefuseGcm(label, v);
    cases.push(gcmCase(`${n}-byte message sealed under another key`, ['WrongKey'], v,
      'invalid'));
  }
  return cases;
}

function gcmFile() {
  const group = (ivSize, tests) => ({
    type: 'AeadTest', keySize: 256, ivSize, tagSize: 128, tests,
  });
  const spec = (n) => gcmSpecCase(GCM_SPEC.find((s) => s.n === n));
  return vectorFile('AES-GCM', 'aead_test_schema_v1.json', [
    'AES-256-GCM as the gateway protocol uses it: the token is base64(nonce ‖ ct ‖ tag)',
    'with a 12-byte nonce and no additional data. Test cases 13 to 18 of the GCM',
    'specification are copied as published, including those with additional data or',
    'a nonce other than 12 bytes (flags Aad and IvNot96Bits); the rest is generated by',
    "vectors/gen/generate.js with Node's crypto module.",
  ], [
    group(96, [13, 14, 15, 16].map(spec).concat(gcmGeneratedCases())),
    group(64, [spec(17)]),
    group(480, [spec(18)]),
  ]);
}

// ---------------------------------------------------------------------------
// token_encoding_test.json

// lenientRepair undoes the encoding defects of the invalid token cases.
function lenientRepair(token) {
  const bare = token.replace(/\s/g, '').replace(/-/g, '+').replace(/_/g, '/');
  return bare + '='.repeat((4 - (bare.length % 4)) % 4);
}

function tokenCase(comment, flags, s, token, result) {
  const msg = result === 'valid' ? hex(s.msg) : '';
  return tc({ comment, flags, key: hex(s.key), token, msg, result });
}

// findSealed seals seeded messages of msgLen until accept(token) holds.
function findSealed(scheme, label, msgLen, accept) {
  for (let i = 0; i < 1000; i++) {
    const l = `${label}/${i}`;
    const s = sealed(scheme, l, seeded(`${l}/msg`, msgLen));
    if (accept(s.token)) {
      return s;
    }
  }
  throw new Error(`${label}: no seed gives a suitable token`);
}

function wrapLines(token, eol) {
  return token.match(/.{1,64}/g).join(eol);
}

function insertAt(token, pos, text) {
  return token.slice(0, pos) + text + token.slice(pos);
}

function badEncodings(scheme) {
  const at = `tokens/${scheme}`;
  const long = sealed(scheme, `${at}/long`, seeded(`${at}/long/msg`, 100));
  const plus = findSealed(scheme, `${at}/plus`, 10, (t) => t.includes('+'));
  const slash = findSealed(scheme, `${at}/slash`, 10, (t) => t.includes('/'));
  const pad1 = findSealed(scheme, `${at}/pad1`, scheme === CBC ? 0 : 1, (t) => /[^=]=$/.test(t));
  const pad2 = findSealed(scheme, `${at}/pad2`, scheme === CBC ? 32 : 0, (t) => t.endsWith('=='));
  const urlSafe = (t) => t.replace(/\+/g, '-').replace(/\//g, '_');
  return [
    ['UrlSafe', 'URL-safe alphabet (it holds at least one - for +)', plus, urlSafe],
    ['UrlSafe', 'URL-safe alphabet (it holds at least one _ for /)', slash, urlSafe],
    ['Unpadded', 'one = stripped', pad1, (t) => t.replace(/=+$/, '')],
    ['Unpadded', 'two = stripped', pad2, (t) => t.replace(/=+$/, '')],
    ['LineWrappedLf', 'LF after every 64 characters', long, (t) => wrapLines(t, '\n')],
    ['LineWrappedLf', 'LF after every 64 characters and at the end', long,
      (t) => wrapLines(t, '\n') + '\n'],
    ['LineWrappedCrlf', 'CR LF after every 64 characters', long, (t) => wrapLines(t, '\r\n')],
    ['EmbeddedSpace', 'space after character 8', long, (t) => insertAt(t, 8, ' ')],
    ['EmbeddedSpace', 'space after character 13', long, (t) => insertAt(t, 13, ' ')],
    ['LeadingOrTrailingSpace', 'leading space', plus, (t) => ' ' + t],
    ['LeadingOrTrailingSpace', 'trailing space', plus, (t) => t + ' '],
    ['TabInside', 'tab after character 20', long, (t) => insertAt(t, 20, '\t')],
  ];
}

function tokenGroup(scheme) {
  const tests = [0, 5, 48].map((n) => {
    const s = sealed(scheme, `tokens/${scheme}/canonical/${n}`, seeded(`tokens/${n}/msg`, n));
    check(decodeStrict(s.token) !== null, `${scheme}: canonical token is not strict base64`);
    return tokenCase(`canonical token of a ${n}-byte message`, ['Canonical'], s, s.token,
      'valid');
  });
  for (const [flag, what, s, edit] of badEncodings(scheme)) {
    const token = edit(s.token);
    check(token !== s.token && decodeStrict(token) === null, `${scheme} ${flag}: not invalid`);
    check(lenientRepair(token) === s.token, `${scheme} ${flag}: defect is not only encoding`);
    tests.push(tokenCase(`the canonical token with ${what}`, [flag], s, token, 'invalid'));
  }
  return { type: 'TokenTest', scheme, tests };
}

function tokenFile() {
  return vectorFile('GWCERT-TOKEN', 'gwcert_token_schema_v1.json', [
    'The text form of a token: standard base64 (RFC 4648 section 4) with = padding and',
    'no other characters. token is the exact string that travels; msg is the hex',
    'plaintext of a valid token. Each invalid token differs from a valid one only in',
    'its encoding, so a receiver must refuse it before any decryption.',
  ], SCHEMES.map(tokenGroup));
}

// ---------------------------------------------------------------------------
// header_secrets_test.json

const HEADER_MEMBERS = ['client_id', 'client_secret', 'epoch'];
const TYPICAL = { id: 'GW-CLIENT-0001', secret: 'Zk3pQ9rT2vX8mW5n', epoch: '1727954878' };

function headerText(id, secret, epoch) {
  return JSON.stringify({ client_id: id, client_secret: secret, epoch });
}

// headerValid is the generator's own reading of PROTOCOL.md section 3, used
// to confirm that each case has the result it is given.
function headerValid(text) {
  let v;
  try {
    v = JSON.parse(text);
  } catch (err) {
    return false;
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v) || Object.keys(v).length !== 3) {
    return false;
  }
  if (!HEADER_MEMBERS.every((m) => typeof v[m] === 'string')) {
    return false;
  }
  if (HEADER_MEMBERS.some((m) => text.split(`"${m}"`).length !== 2)) {
    return false;
  }
  return /^[0-9]+$/.test(v.epoch);
}

const VALID_HEADERS = [
  ['Typical', 'ASCII credentials and a 10-digit epoch', TYPICAL.id, TYPICAL.secret,
    TYPICAL.epoch],
  ['NonAscii', 'Cyrillic client id and secret', 'клиент-42', 'секрет-ключ', TYPICAL.epoch],
  ['NonAscii', 'CJK client id, secret with an emoji and accents', '商户-0042', '🔑-pässwörd',
    TYPICAL.epoch],
  ['EscapedCharacters', 'quotes, backslashes and a slash in id and secret', 'id "quoted"',
    'a\\b"c\\"d/e\\', TYPICAL.epoch],
  ['EpochZero', 'epoch "0"', TYPICAL.id, TYPICAL.secret, '0'],
  ['MillisecondEpoch', 'a 13-digit millisecond epoch is well formed and valid here; ' +
    'refusing it as far in the future is the gateway freshness check, not the decoder',
  TYPICAL.id, TYPICAL.secret, '1727954878123'],
];

function headerBody(members) {
  return '{' + members.map(([name, value]) => `"${name}":${value}`).join(',') + '}';
}

function invalidHeaders() {
  const q = (s) => JSON.stringify(s);
  const [id, secret, epoch] = [q(TYPICAL.id), q(TYPICAL.secret), q(TYPICAL.epoch)];
  const body = (e = epoch) => headerBody([['client_id', id], ['client_secret', secret],
    ['epoch', e]]);
  const cases = [
    ['UpperCaseMember', '"Client_id" as in the documentation sample',
      headerBody([['Client_id', id], ['client_secret', secret], ['epoch', epoch]])],
    ['UpperCaseMember', '"EPOCH" in capitals',
      headerBody([['client_id', id], ['client_secret', secret], ['EPOCH', epoch]])],
    ['MissingMember', 'no client_id', headerBody([['client_secret', secret], ['epoch', epoch]])],
    ['MissingMember', 'no client_secret', headerBody([['client_id', id], ['epoch', epoch]])],
    ['MissingMember', 'no epoch', headerBody([['client_id', id], ['client_secret', secret]])],
    ['NumberEpoch', 'epoch as a JSON number', body(TYPICAL.epoch)],
    ['ExtraMember', 'a fourth member "nonce"', body().slice(0, -1) + ',"nonce":"a1b2"}'],
    ['NotJson', 'form-encoded text', `client_id=${TYPICAL.id}&client_secret=` +
      `${TYPICAL.secret}&epoch=${TYPICAL.epoch}`],
    ['NotJson', 'empty plaintext', ''],
    ['NotObject', 'a JSON array of the three values', `[${id},${secret},${epoch}]`],
    ['NotObject', 'a JSON string', id],
    ['NonStringMember', 'client_id as a number',
      headerBody([['client_id', '1001'], ['client_secret', secret], ['epoch', epoch]])],
    ['NonStringMember', 'client_secret as null',
      headerBody([['client_id', id], ['client_secret', 'null'], ['epoch', epoch]])],
    ['DuplicateMember', 'client_id twice with different values', headerBody([
      ['client_id', id], ['client_secret', secret], ['epoch', epoch], ['client_id', q('x')]])],
  ];
  for (const e of ['17e9', '-1', ' 1', '1.5', '']) {
    cases.push(['EpochNotDigits', `epoch ${q(e)}`, body(q(e))]);
  }
  return cases;
}

function headerCase(scheme, label, fields) {
  const key = seeded(`${label}/key`, 32);
  const iv = seeded(`${label}/iv`, NONCE_SIZE[scheme]);
  const token = seal(scheme, key, iv, utf8(fields.header)).toString('base64');
  const opened = openToken(scheme, key, token);
  check(opened !== null && opened.toString('utf8') === fields.header, `${label}: round trip`);
  const result = headerValid(fields.header) ? 'valid' : 'invalid';
  check(result === fields.result, `${label}: header judged ${result}, expected ${fields.result}`);
  return tc({
    comment: fields.comment, flags: fields.flags, key: hex(key), iv: hex(iv),
    clientId: fields.id, clientSecret: fields.secret, epoch: fields.epoch,
    header: fields.header, token, result,
  });
}

function headerGroup(scheme) {
  const tests = VALID_HEADERS.map(([flag, comment, id, secret, epoch], i) =>
    headerCase(scheme, `header/${scheme}/valid/${i}`, {
      comment, flags: [flag], id, secret, epoch, header: headerText(id, secret, epoch),
      result: 'valid',
    }));
  invalidHeaders().forEach(([flag, comment, header], i) => {
    tests.push(headerCase(scheme, `header/${scheme}/invalid/${i}`, {
      comment: `${comment}; the token opens, the header text is wrong`, flags: [flag],
      id: '', secret: '', epoch: '', header, result: 'invalid',
    }));
  });
  return { type: 'HeaderSecretsTest', scheme, tests };
}

function headerFile() {
  return vectorFile('GWCERT-HEADER-SECRETS', 'gwcert_header_secrets_schema_v1.json', [
    'The header_secrets value: token = base64(iv ‖ seal(header)). For valid cases',
    'header is exactly the compact JSON {"client_id":..,"client_secret":..,"epoch":".."}',
    'in that order, built from clientId, clientSecret and epoch. For invalid cases the',
    'token opens correctly but header breaks PROTOCOL.md section 3; clientId,',
    'clientSecret and epoch are then empty. Freshness of the epoch is not judged here.',
  ], SCHEMES.map(headerGroup));
}

// ---------------------------------------------------------------------------
// request_test.json

function isJson(text) {
  try {
    JSON.parse(text);
    return true;
  } catch (err) {
    return false;
  }
}

// longPayload returns a JSON payload of exactly 300 bytes of UTF-8.
function longPayload() {
  const base = { reference: 'REF-2024-000300', remarks: '' };
  const size = Buffer.byteLength(JSON.stringify(base));
  base.remarks = 'Monthly settlement batch '.repeat(20).slice(0, 300 - size);
  const text = JSON.stringify(base);
  check(Buffer.byteLength(text) === 300, 'long payload is not 300 bytes');
  return text;
}

const PAYLOADS = [
  ['EmptyPayload', 'empty object', '{}'],
  ['NestedPayload', 'nested objects and an array', JSON.stringify({
    payout: {
      amount: { value: '125.50', currency: 'INR' },
      beneficiary: { name: 'A Kumar', account: { ifsc: 'HDFC0001234', number: '0012345678' } },
    },
    tags: ['salary', { batch: 7 }],
    urgent: true,
  })],
  ['NonAscii', 'non-ASCII names and remarks', JSON.stringify({
    beneficiary: 'Zoë Ørsted', remarks: '支払い完了 🚀', city: 'Köln',
  })],
  ['LongPayload', 'a 300-byte payload', longPayload()],
];

function requestCase(scheme, [flag, comment, payload], i) {
  const label = `request/${scheme}/${i}`;
  const key = seeded(`${label}/key`, 32);
  const headerIv = seeded(`${label}/headeriv`, NONCE_SIZE[scheme]);
  const iv = seeded(`${label}/iv`, NONCE_SIZE[scheme]);
  const header = headerText(TYPICAL.id, TYPICAL.secret, TYPICAL.epoch);
  const headerSecrets = seal(scheme, key, headerIv, utf8(header)).toString('base64');
  const token = seal(scheme, key, iv, utf8(payload)).toString('base64');
  const body = JSON.stringify({ RequestData: token });
  check(openToken(scheme, key, headerSecrets).toString('utf8') === header, `${label}: header`);
  check(openToken(scheme, key, JSON.parse(body).RequestData).toString('utf8') === payload,
    `${label}: body does not open to the payload`);
  check(isJson(payload), `${label}: payload is not JSON`);
  return tc({
    comment, flags: [flag], key: hex(key), clientId: TYPICAL.id,
    clientSecret: TYPICAL.secret, epoch: TYPICAL.epoch, headerIv: hex(headerIv),
    headerSecrets, iv: hex(iv), payload, body, result: 'valid',
  });
}

function requestFile() {
  const group = (scheme) => ({
    type: 'RequestTest', scheme, tests: PAYLOADS.map((p, i) => requestCase(scheme, p, i)),
  });
  return vectorFile('GWCERT-REQUEST', 'gwcert_request_schema_v1.json', [
    'Whole requests: headerSecrets = base64(headerIv ‖ seal(header JSON of clientId,',
    'clientSecret, epoch)) as in header_secrets_test.json, and body is exactly',
    '{"RequestData":"<base64(iv ‖ seal(payload))>"} with no other member or space.',
    'payload is the exact JSON text of the API payload.',
  ], SCHEMES.map(group));
}

// ---------------------------------------------------------------------------
// response_test.json

// readResponse is the generator's own reading of PROTOCOL.md section 5.
function readResponse(scheme, key, status, body) {
  const refused = { result: 'invalid', response: '' };
  let doc;
  try {
    doc = JSON.parse(body);
  } catch (err) {
    return refused;
  }
  const isObject = doc !== null && typeof doc === 'object' && !Array.isArray(doc);
  const sealedAnswer = isObject && Object.prototype.hasOwnProperty.call(doc, 'ResponseData');
  if (status < 200 || status > 299) {
    return sealedAnswer ? refused : { result: 'valid', response: body };
  }
  if (!sealedAnswer || typeof doc.ResponseData !== 'string') {
    return refused;
  }
  const pt = openToken(scheme, key, doc.ResponseData);
  if (pt === null) {
    return refused;
  }
  try {
    JSON.parse(pt.toString('utf8'));
  } catch (err) {
    return refused;
  }
  return { result: 'valid', response: pt.toString('utf8') };
}

function sealedBody(scheme, key, label, text) {
  const iv = seeded(`${label}/iv`, NONCE_SIZE[scheme]);
  return JSON.stringify({ ResponseData: seal(scheme, key, iv, utf8(text)).toString('base64') });
}

// damagedBody seals text and then breaks the token the way flag says.
function damagedBody(scheme, key, label, flag) {
  const iv = seeded(`${label}/iv`, NONCE_SIZE[scheme]);
  const text = successText(200, { transferId: 'TRF-000999' });
  let raw;
  if (flag === 'BadPadding') {
    const pt = Buffer.concat([utf8(text), Buffer.alloc(padTo(Buffer.byteLength(text)))]);
    raw = Buffer.concat([iv, cbcEncrypt(key, iv, pt, false)]);
  } else if (flag === 'ModifiedTag') {
    raw = seal(scheme, key, iv, utf8(text));
    raw[raw.length - 1] ^= 0x01;
  } else {
    raw = seal(scheme, seeded(`${label}/otherkey`, 32), iv, utf8(text));
  }
  return JSON.stringify({ ResponseData: raw.toString('base64') });
}

function successText(status, data) {
  return JSON.stringify({ status: 'SUCCESS', statusCode: status, data });
}

function errorText(status, desc) {
  return JSON.stringify({ status: 'FAILURE', statusCode: status, statusDesc: desc });
}

// responseSpecs lists [flag, comment, status, makeBody(key, label)] for one scheme.
function responseSpecs(scheme) {
  const sealedText = (text) => (key, label) => sealedBody(scheme, key, label, text);
  const plain = (text) => () => text;
  const specs = [
    ['EncryptedSuccess', '200 with ResponseData', 200,
      sealedText(successText(200, { transferId: 'TRF-000123', state: 'PROCESSED' }))],
    ['EncryptedSuccess', '201 with ResponseData', 201,
      sealedText(successText(201, { payoutId: 'PO-77', amount: '125.50', currency: 'INR' }))],
    ['EncryptedSuccess', '200 with non-ASCII text in ResponseData', 200,
      sealedText(successText(200, { beneficiary: 'Zoë Ørsted', note: '完了' }))],
  ];
  for (const [status, desc] of [[400, 'invalid request body'], [401, 'invalid pass_key'],
    [404, 'unknown route'], [500, 'internal error']]) {
    specs.push(['PlainError', `${status} plain error`, status, plain(errorText(status, desc))]);
  }
  return specs.concat(invalidResponseSpecs(scheme, sealedText, plain));
}

function invalidResponseSpecs(scheme, sealedText, plain) {
  const damaged = (flag) => (key, label) => damagedBody(scheme, key, label, flag);
  return [
    ['PlaintextSuccess', '200 with a plain success body', 200,
      plain(successText(200, { transferId: 'TRF-000123' }))],
    ['PlaintextSuccess', '201 with a plain body', 201, plain('{"status":"SUCCESS"}')],
    ['EncryptedError', '401 holding ResponseData', 401,
      sealedText(errorText(401, 'invalid pass_key'))],
    ['EncryptedError', '500 holding ResponseData', 500,
      sealedText(errorText(500, 'internal error'))],
    ['ResponseNotJson', 'ResponseData opens to plain text', 200, sealedText('payout done')],
    ['ResponseNotJson', 'ResponseData opens to empty text', 200, sealedText('')],
    ['ResponseNotJson', 'ResponseData opens to cut JSON', 200, sealedText('{"status":"SUC')],
    ['BodyNotJson', 'form-encoded body', 200, plain('ResponseData=abc')],
    ['BodyNotJson', 'empty body', 200, plain('')],
    ['BodyNotJson', 'HTML body', 200, plain('<html><body>OK</body></html>')],
    ['ResponseDataNotString', 'ResponseData is a number', 200, plain('{"ResponseData":123}')],
    ['ResponseDataNotString', 'ResponseData is null', 200, plain('{"ResponseData":null}')],
    ['ResponseDataNotString', 'ResponseData is an object', 200,
      plain('{"ResponseData":{"token":"AAAA"}}')],
    scheme === CBC ?
      ['BadPadding', 'ResponseData with zero padding', 200, damaged('BadPadding')] :
      ['ModifiedTag', 'ResponseData with a flipped tag bit', 200, damaged('ModifiedTag')],
    ['WrongKey', 'ResponseData sealed under another key', 200, damaged('WrongKey')],
  ];
}

const VALID_RESPONSE_FLAGS = ['EncryptedSuccess', 'PlainError'];

function responseCase(scheme, [flag, comment, status, makeBody], i) {
  const label = `response/${scheme}/${i}`;
  const key = seeded(`${label}/key`, 32);
  const body = makeBody(key, label);
  const { result, response } = readResponse(scheme, key, status, body);
  const expected = VALID_RESPONSE_FLAGS.includes(flag) ? 'valid' : 'invalid';
  check(result === expected, `${label}: judged ${result}, expected ${expected}`);
  let encrypted = false;
  try {
    const doc = JSON.parse(body);
    encrypted = doc !== null && typeof doc === 'object' && 'ResponseData' in doc;
  } catch (err) {
    encrypted = false;
  }
  return tc({
    comment, flags: [flag], key: hex(key), status, body, encrypted, response, result,
  });
}

function responseFile() {
  const group = (scheme) => ({
    type: 'ResponseTest', scheme,
    tests: responseSpecs(scheme).map((spec, i) => responseCase(scheme, spec, i)),
  });
  return vectorFile('GWCERT-RESPONSE', 'gwcert_response_schema_v1.json', [
    'Response bodies as a client receives them. A 2xx answer must be',
    '{"ResponseData":token} and response is the opened JSON text; any other answer',
    'is plain JSON without ResponseData and response is the body itself. encrypted',
    'tells whether the body carries a ResponseData member. Invalid cases must be',
    'refused by the client; their response is empty.',
  ], SCHEMES.map(group));
}

// ---------------------------------------------------------------------------

function main(argv) {
  const outDir = path.resolve(argv[2] || path.join(__dirname, '..', 'gwcert'));
  const files = [
    ['aes_256_cbc_test.json', cbcFile()],
    ['aes_256_gcm_test.json', gcmFile()],
    ['token_encoding_test.json', tokenFile()],
    ['header_secrets_test.json', headerFile()],
    ['request_test.json', requestFile()],
    ['response_test.json', responseFile()],
  ];
  fs.mkdirSync(outDir, { recursive: true });
  for (const [name, content] of files) {
    fs.writeFileSync(path.join(outDir, name), JSON.stringify(content, null, 2) + '\n');
  }
}

try {
  main(process.argv);
} catch (err) {
  process.stderr.write(`generate.js: ${err.message}\n`);
  process.exit(1);
}
