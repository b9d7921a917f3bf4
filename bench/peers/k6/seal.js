// A k6 load script for the gwcert mock gateway that seals every request
// as PROTOCOL.md asks: fresh header_secrets (client id, secret and the
// current epoch) and a fresh RequestData, each AES-256-CBC under a new
// random IV, with k6's global WebCrypto. Answers are judged by status.
//
// Environment: GWCERT_BASE_URL, GWCERT_PASS_KEY, GWCERT_CLIENT_ID,
// GWCERT_CLIENT_SECRET, GWCERT_KEY (base64), as `gwcert mock` prints
// them; VUS and DURATION (such as 10s); SUMMARY, a file for the counts.
import http from 'k6/http';
import { check } from 'k6';
import encoding from 'k6/encoding';

const url = `${__ENV.GWCERT_BASE_URL}/api/echo`;
const payload = '{"amount":"10.00","currency":"INR"}';

export const options = {
  vus: Number(__ENV.VUS || 10),
  duration: __ENV.DURATION || '10s',
  discardResponseBodies: true,
  summaryTrendStats: ['avg', 'p(50)', 'p(99)'],
};

// bytesOf encodes an ASCII string; the documents sealed here are ASCII.
function bytesOf(text) {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

let keyOnce; // this VU's imported key

function key() {
  if (!keyOnce) {
    const raw = encoding.b64decode(__ENV.GWCERT_KEY, 'std');
    keyOnce = crypto.subtle.importKey('raw', raw, { name: 'AES-CBC' }, false, ['encrypt']);
  }
  return keyOnce;
}

// seal returns base64(IV || AES-256-CBC(PKCS#7(text))) under a fresh IV.
async function seal(k, text) {
  const iv = crypto.getRandomValues(new Uint8Array(16));
  const body = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-CBC', iv }, k,
    bytesOf(text)));
  const token = new Uint8Array(16 + body.length);
  token.set(iv);
  token.set(body, 16);
  return encoding.b64encode(token.buffer, 'std');
}

export default async function () {
  const k = await key();
  const header = JSON.stringify({
    client_id: __ENV.GWCERT_CLIENT_ID,
    client_secret: __ENV.GWCERT_CLIENT_SECRET,
    epoch: String(Math.floor(Date.now() / 1000)),
  });
  const [secrets, data] = await Promise.all([seal(k, header), seal(k, payload)]);
  const res = http.post(url, JSON.stringify({ RequestData: data }), {
    headers: {
      pass_key: __ENV.GWCERT_PASS_KEY,
      header_secrets: secrets,
      'Content-Type': 'application/json',
    },
  });
  check(res, { '2xx': (r) => r.status >= 200 && r.status < 300 });
}

// handleSummary writes the counts run.sh reads, and nothing to stdout.
export function handleSummary(data) {
  const checks = data.metrics.checks ? data.metrics.checks.values : { passes: 0, fails: 0 };
  const counts = {
    answers: data.metrics.http_reqs ? data.metrics.http_reqs.values.count : 0,
    ok: checks.passes,
  };
  return { [__ENV.SUMMARY || 'k6-summary.json']: JSON.stringify(counts) };
}
