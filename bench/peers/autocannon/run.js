// Drives autocannon against the gwcert mock gateway, sealing every
// request in setupRequest with Node's crypto module: fresh header_secrets
// (client id, secret and the current epoch) and a fresh RequestData, each
// AES-256-CBC under a new random IV. Answers are judged by status.
//
// Environment: GWCERT_BASE_URL, GWCERT_PASS_KEY, GWCERT_CLIENT_ID,
// GWCERT_CLIENT_SECRET, GWCERT_KEY (base64), as `gwcert mock` prints
// them; CONNECTIONS, DURATION_S, and SUMMARY, a file for the counts.
'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const autocannon = require('autocannon');

const env = process.env;
const key = Buffer.from(env.GWCERT_KEY || '', 'base64');
const payload = '{"amount":"10.00","currency":"INR"}';

if (key.length !== 32) {
  console.error('autocannon/run.js: GWCERT_KEY must be 32 bytes in base64');
  process.exit(2);
}

// seal returns base64(IV || AES-256-CBC(PKCS#7(text))) under a fresh IV.
function seal(text) {
  const iv = crypto.randomBytes(16);
  const cipher = crypto.createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([iv, cipher.update(text, 'utf8'), cipher.final()]).toString('base64');
}

function setupRequest(req) {
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
  return req;
}

autocannon({
  url: env.GWCERT_BASE_URL,
  connections: Number(env.CONNECTIONS || 10),
  duration: Number(env.DURATION_S || 10),
  requests: [{ method: 'POST', path: '/api/echo', setupRequest }],
}, (err, res) => {
  if (err) {
    console.error('autocannon/run.js:', err.message);
    process.exit(1);
  }
  const counts = { answers: res['2xx'] + res.non2xx, ok: res['2xx'], errors: res.errors };
  fs.writeFileSync(env.SUMMARY || 'autocannon-summary.json', JSON.stringify(counts));
});
