// Artillery hooks that seal every request to the gwcert mock gateway with
// Node's crypto module: fresh header_secrets (client id, secret and the
// current epoch) and a fresh RequestData, each AES-256-CBC under a new
// random IV. Each virtual user loops until DURATION_S has passed since
// it started, so the load is a fixed number of concurrent users, like the
// other tools' connections.
//
// Environment: GWCERT_PASS_KEY, GWCERT_CLIENT_ID, GWCERT_CLIENT_SECRET,
// GWCERT_KEY (base64), as `gwcert mock` prints them; DURATION_S.
'use strict';

const crypto = require('node:crypto');

const env = process.env;
const key = Buffer.from(env.GWCERT_KEY || '', 'base64');
const payload = '{"amount":"10.00","currency":"INR"}';
const durationMs = 1000 * Number(env.DURATION_S || 10);

// seal returns base64(IV || AES-256-CBC(PKCS#7(text))) under a fresh IV.
function seal(text) {
  const iv = crypto.randomBytes(16);
  const cipher = crypto.createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([iv, cipher.update(text, 'utf8'), cipher.final()]).toString('base64');
}

function startClock(context, events, done) {
  context.vars.deadline = Date.now() + durationMs;
  return done();
}

function withinDuration(context, next) {
  return next(Date.now() < context.vars.deadline);
}

function sealRequest(req, context, events, done) {
  if (key.length !== 32) {
    return done(new Error('GWCERT_KEY must be 32 bytes in base64'));
  }
  const header = JSON.stringify({
    client_id: env.GWCERT_CLIENT_ID,
    client_secret: env.GWCERT_CLIENT_SECRET,
    epoch: String(Math.floor(Date.now() / 1000)),
  });
  req.headers = {
    pass_key: env.GWCERT_PASS_KEY,
    header_secrets: seal(header),
    'content-type': 'application/json',
  };
  req.body = JSON.stringify({ RequestData: seal(payload) });
  return done();
}

module.exports = { startClock, withinDuration, sealRequest };
