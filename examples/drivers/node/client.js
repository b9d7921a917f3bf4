// A client for the encrypted gateway protocol, Node.js 20 standard library only.
//
// This is the part of the driver a partner already has in its own
// integration. For every call it builds a fresh header_secrets (current
// epoch, fresh IV) and a sealed {"RequestData": ...} body, sends them with
// Node's http or https module, opens ResponseData of a 2xx answer and reads
// every other answer as plain JSON (PROTOCOL.md sections 1 to 5).
//
// Tokens are standard base64 with "=" padding, no line breaks:
//   aes-256-cbc  IV[16] || CBC-encrypt(PKCS#7-pad(plaintext))
//   aes-256-gcm  nonce[12] || ciphertext || tag[16], no additional data
//
// The client can be told to make real partner mistakes, so that gwcert can
// prove its certification catches them. Each one is a short branch marked
// "MISTAKE (--mistake=NAME)"; read past them for the correct code. No
// error this module raises carries a key, a client secret or a header.
'use strict';

const crypto = require('node:crypto');
const http = require('node:http');
const https = require('node:https');

const BLOCK_BYTES = 16;
const CBC_IV_BYTES = 16;
const GCM_NONCE_BYTES = 12;
const GCM_TAG_BYTES = 16;

// A call that gets no byte for this long fails; a bigger answer is refused.
const TIMEOUT_MS = 30_000;
const ANSWER_LIMIT_BYTES = 8 * 1024 * 1024;

// Values that only the mistakes use.
const FIXED_IV = Buffer.from('1234567890123456', 'latin1'); // fixed-iv
const STALE_SECONDS = 600; // stale-epoch
const WRAP_COLUMNS = 64; // line-wrapped
const EXTRA_MEMBER = 'channel'; // wrong-payload
const EXTRA_VALUE = 'partner-app'; // wrong-payload

// GatewayError is a failure of one call. Its message is safe to report:
// it names what went wrong and never carries a secret.
class GatewayError extends Error {}

// ---------------------------------------------------------------------------
// Cipher schemes

function sealCbc(key, iv, plaintext) {
  // Node pads with PKCS#7 unless told otherwise.
  const cipher = crypto.createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([iv, cipher.update(plaintext), cipher.final()]);
}

// openCbc returns the plaintext, or null if the token does not open.
// OpenSSL checks that every pad byte equals the pad length, 1 to 16.
function openCbc(key, bytes) {
  const tooShort = bytes.length < CBC_IV_BYTES + BLOCK_BYTES;
  if (tooShort || bytes.length % BLOCK_BYTES !== 0) {
    return null;
  }
  const iv = bytes.subarray(0, CBC_IV_BYTES);
  const decipher = crypto.createDecipheriv('aes-256-cbc', key, iv);
  try {
    return Buffer.concat([decipher.update(bytes.subarray(CBC_IV_BYTES)), decipher.final()]);
  } catch {
    return null;
  }
}

function sealGcm(key, nonce, plaintext) {
  const cipher = crypto.createCipheriv('aes-256-gcm', key, nonce);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([nonce, ciphertext, cipher.getAuthTag()]);
}

// openGcm returns the plaintext only once the tag has verified, or null.
function openGcm(key, bytes) {
  if (bytes.length < GCM_NONCE_BYTES + GCM_TAG_BYTES) {
    return null;
  }
  const nonce = bytes.subarray(0, GCM_NONCE_BYTES);
  const ciphertext = bytes.subarray(GCM_NONCE_BYTES, bytes.length - GCM_TAG_BYTES);
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, nonce);
  decipher.setAuthTag(bytes.subarray(bytes.length - GCM_TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    return null;
  }
}

// SCHEMES maps each scheme name of PROTOCOL.md section 2 to its parts.
const SCHEMES = new Map([
  ['aes-256-cbc', { ivBytes: CBC_IV_BYTES, seal: sealCbc, open: openCbc }],
  ['aes-256-gcm', { ivBytes: GCM_NONCE_BYTES, seal: sealGcm, open: openGcm }],
]);

// ---------------------------------------------------------------------------
// Token text

const STD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

// decodeBase64 accepts only canonical standard base64 and returns null for
// anything else. Buffer.from(s, 'base64') alone would skip bad characters.
function decodeBase64(text) {
  if (!STD_BASE64.test(text)) {
    return null;
  }
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : null;
}

// wrapLines breaks text into lines of WRAP_COLUMNS characters, each ending
// in "\n", the way PEM writers and several base64 libraries do.
function wrapLines(text) {
  let wrapped = '';
  for (let i = 0; i < text.length; i += WRAP_COLUMNS) {
    wrapped += text.slice(i, i + WRAP_COLUMNS) + '\n';
  }
  return wrapped;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

// parseJSON returns the parsed value, or throws a GatewayError with the
// text given. The parser's own message is dropped: it quotes the input.
function parseJSON(text, failure) {
  try {
    return JSON.parse(text);
  } catch {
    throw new GatewayError(failure);
  }
}

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

// ---------------------------------------------------------------------------
// HTTP

// readBody collects an answer's bytes, refusing more than the limit.
function readBody(res) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    res.on('data', (chunk) => {
      size += chunk.length;
      if (size > ANSWER_LIMIT_BYTES) {
        res.destroy(new GatewayError(`answer larger than ${ANSWER_LIMIT_BYTES} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    res.on('error', reject);
    res.on('end', () => resolve(Buffer.concat(chunks)));
    res.on('close', () => {
      if (!res.complete) reject(new GatewayError('answer cut short'));
    });
  });
}

// ---------------------------------------------------------------------------
// The client

// GatewayClient makes calls to one gateway as one client. config holds
// baseUrl (http or https, with an optional path prefix), passKey, clientId,
// clientSecret, key (a 32-byte Buffer) and scheme (a name in SCHEMES).
// mistakes is a Set of mistake names; empty for a correct client.
class GatewayClient {
  constructor(config, mistakes = new Set()) {
    const scheme = SCHEMES.get(config.scheme);
    if (scheme === undefined || config.key.length !== 32) {
      throw new TypeError('GatewayClient: unknown scheme or key not 32 bytes');
    }
    const base = new URL(config.baseUrl);
    this.origin = base.origin;
    this.prefix = base.pathname.replace(/\/+$/, '');
    this.transport = base.protocol === 'https:' ? https : http;
    this.agent = new this.transport.Agent({ keepAlive: true });

    this.passKey = config.passKey;
    this.clientId = config.clientId;
    this.clientSecret = config.clientSecret;
    this.key = config.key;
    this.scheme = scheme;
    this.mistakes = mistakes;
    this.savedHeader = null; // only for reuse-header
  }

  // call sends payload (any JSON value) to path and returns
  // {status, body}: the opened ResponseData of a 2xx answer, or the plain
  // JSON body of any other. It rejects with a GatewayError, or with
  // Node's own error for a network failure.
  async call(method, path, payload) {
    const body = JSON.stringify({ RequestData: this.requestData(payload) });
    const res = await this.send(method, path, this.headers(Buffer.byteLength(body)), body);
    return { status: res.status, body: this.readAnswer(res.status, res.bytes) };
  }

  // close lets go of idle connections, so the process can end.
  close() {
    this.agent.destroy();
  }

  // -- sealing --------------------------------------------------------------

  newIv() {
    // MISTAKE (--mistake=zero-iv): an all-zero IV for every message.
    if (this.mistakes.has('zero-iv')) {
      return Buffer.alloc(this.scheme.ivBytes);
    }
    // MISTAKE (--mistake=fixed-iv): one constant IV for every message.
    if (this.mistakes.has('fixed-iv')) {
      return FIXED_IV.subarray(0, this.scheme.ivBytes);
    }
    return crypto.randomBytes(this.scheme.ivBytes);
  }

  // sealText seals a UTF-8 string and returns its token.
  sealText(text) {
    const bytes = this.scheme.seal(this.key, this.newIv(), Buffer.from(text, 'utf8'));

    // MISTAKE (--mistake=url-safe): Node's URL-safe base64, '-' '_' and no '='.
    if (this.mistakes.has('url-safe')) {
      return bytes.toString('base64url');
    }
    return bytes.toString('base64');
  }

  requestData(payload) {
    // MISTAKE (--mistake=wrong-payload): a member is added before sealing.
    if (this.mistakes.has('wrong-payload')) {
      payload = isObject(payload)
        ? { ...payload, [EXTRA_MEMBER]: EXTRA_VALUE }
        : { data: payload, [EXTRA_MEMBER]: EXTRA_VALUE };
    }
    const token = this.sealText(JSON.stringify(payload));

    // MISTAKE (--mistake=line-wrapped): the token is cut into 64-column lines.
    // Only the body carries it: Node refuses a line break in a header value.
    if (this.mistakes.has('line-wrapped')) {
      return wrapLines(token);
    }
    return token;
  }

  // -- headers --------------------------------------------------------------

  headers(bodyLength) {
    const headers = {
      pass_key: this.passKey,
      header_secrets: this.headerSecrets(),
      'Content-Type': 'application/json',
      'Content-Length': bodyLength,
    };
    // MISTAKE (--mistake=no-content-type): the body goes out untyped.
    if (this.mistakes.has('no-content-type')) {
      delete headers['Content-Type'];
    }
    return headers;
  }

  // headerSecrets seals the compact header JSON of PROTOCOL.md section 3,
  // anew for every call.
  headerSecrets() {
    // MISTAKE (--mistake=reuse-header): the first header serves every call.
    if (this.mistakes.has('reuse-header') && this.savedHeader !== null) {
      return this.savedHeader;
    }
    const text = JSON.stringify(this.headerFields());

    // MISTAKE (--mistake=plaintext-header): the JSON goes out unencrypted.
    const value = this.mistakes.has('plaintext-header') ? text : this.sealText(text);
    this.savedHeader = value;
    return value;
  }

  headerFields() {
    // MISTAKE (--mistake=client-id-case): the member name of the doc sample.
    const idName = this.mistakes.has('client-id-case') ? 'Client_id' : 'client_id';
    return { [idName]: this.clientId, client_secret: this.clientSecret, epoch: this.epoch() };
  }

  // epoch returns the current Unix time in whole seconds, as a string.
  epoch() {
    let millis = Date.now();

    // MISTAKE (--mistake=stale-epoch): the clock is ten minutes behind.
    if (this.mistakes.has('stale-epoch')) {
      millis -= STALE_SECONDS * 1000;
    }
    let value = Math.floor(millis / 1000);

    // MISTAKE (--mistake=millis-epoch): milliseconds, 13 digits.
    if (this.mistakes.has('millis-epoch')) {
      value = millis;
    }
    // MISTAKE (--mistake=number-epoch): a JSON number instead of a string.
    if (this.mistakes.has('number-epoch')) {
      return value;
    }
    return String(value);
  }

  // -- transport ------------------------------------------------------------

  // send makes one HTTP exchange and resolves to {status, bytes}.
  send(method, path, headers, body) {
    const url = this.origin + this.prefix + path;
    const options = { method, headers, agent: this.agent, timeout: TIMEOUT_MS };
    return new Promise((resolve, reject) => {
      // request() throws for a header value Node refuses; the promise
      // then rejects with that error, which names the header, not its value.
      const req = this.transport.request(url, options, (res) => {
        readBody(res).then((bytes) => resolve({ status: res.statusCode, bytes }), reject);
      });
      req.on('timeout', () => {
        req.destroy(new GatewayError(`no answer within ${TIMEOUT_MS / 1000} s`));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  // -- answers --------------------------------------------------------------

  readAnswer(status, bytes) {
    const success = status >= 200 && status <= 299;

    // MISTAKE (--mistake=decrypt-errors): every answer is opened as a success.
    if (success || this.mistakes.has('decrypt-errors')) {
      return this.openAnswer(status, bytes);
    }
    return parseJSON(bytes.toString('utf8'), `HTTP ${status} answer is not JSON`);
  }

  // openAnswer takes ResponseData out of an answer and opens it.
  openAnswer(status, bytes) {
    const outer = parseJSON(bytes.toString('utf8'), `HTTP ${status} answer is not JSON`);
    const token = isObject(outer) ? outer.ResponseData : undefined;
    if (typeof token !== 'string') {
      throw new GatewayError(`HTTP ${status} answer has no ResponseData`);
    }
    const sealed = decodeBase64(token);
    const plaintext = sealed === null ? null : this.scheme.open(this.key, sealed);
    if (plaintext === null) {
      throw new GatewayError(`HTTP ${status} ResponseData does not open`);
    }
    let text;
    try {
      text = UTF8.decode(plaintext);
    } catch {
      throw new GatewayError(`HTTP ${status} opened ResponseData is not UTF-8`);
    }
    return parseJSON(text, `HTTP ${status} opened ResponseData is not JSON`);
  }
}

module.exports = { GatewayClient, GatewayError, SCHEMES };
