#!/usr/bin/env node
// gwcert client driver for Node.js 20, standard library only.
//
// gwcert starts this program with the client's credentials in GWCERT_*
// environment variables, writes one step a line on stdin and reads one
// answer a line on stdout:
//
//   in   {"step":"s1","method":"POST","path":"/api/echo","payload":{...}}
//   out  {"step":"s1","status":200,"body":{...}}   or   {"step":"s1","error":"text"}
//
// Steps are made one at a time, in order, with the client in client.js;
// the program exits 0 once stdin closes and every step is answered. See
// README.md beside this file for the whole contract.
//
// The flag --mistake=NAME (repeatable) switches on a real partner mistake,
// so gwcert can prove its certification catches it. Mistakes in the
// client's wire behaviour live in client.js; the ones in how the driver
// reports live here. Each is a short branch marked "MISTAKE (--mistake=NAME)".
'use strict';

const readline = require('node:readline');
const { GatewayClient, GatewayError, SCHEMES } = require('./client.js');

// Known mistakes (see README.md). The last two take a step count: NAME=N.
const MISTAKES = [
  'fixed-iv',
  'zero-iv',
  'plaintext-header',
  'millis-epoch',
  'client-id-case',
  'url-safe',
  'line-wrapped',
  'decrypt-errors',
  'reuse-header',
  'no-content-type',
  'stale-epoch',
  'number-epoch',
  'wrong-payload',
  'misreport-body',
  'garbage',
  'crash-after',
  'hang-after',
];
const COUNTED_MISTAKES = ['crash-after', 'hang-after'];

const REQUIRED_ENV = [
  'GWCERT_BASE_URL',
  'GWCERT_PASS_KEY',
  'GWCERT_CLIENT_ID',
  'GWCERT_CLIENT_SECRET',
  'GWCERT_KEY',
];

const KEY_BYTES = 32;
const BASE64_KEY = /^[A-Za-z0-9+/]{43}=$/;
const HTTP_METHOD = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const API_PATH = /^\/[\x21-\x7e]*$/;

const CRASH_STATUS = 3; // crash-after
const GARBAGE_LINE = 'debug: response received'; // garbage

// StepError is an invalid step line; its message is the answer's error
// and id the step's name, when the line had one.
class StepError extends Error {
  constructor(message, id = null) {
    super(message);
    this.id = id;
  }
}

// ---------------------------------------------------------------------------
// Command line and environment

function usage(problem) {
  process.stderr.write(`driver: ${problem}\n`);
  process.stderr.write('usage: node driver.js [--mistake=NAME]...\n');
  process.stderr.write(`  NAME is one of ${MISTAKES.join(', ')}\n`);
  process.stderr.write(`  ${COUNTED_MISTAKES.join(' and ')} take a step count: NAME=N\n`);
  process.exit(2);
}

// parseMistake turns one --mistake value into [name, value]: true for a
// plain mistake, a step count for a counted one. Bad usage exits 2.
function parseMistake(text) {
  const [name, count, ...rest] = text.split('=');
  if (!MISTAKES.includes(name)) {
    usage(`unknown mistake ${JSON.stringify(name)}`);
  }
  if (!COUNTED_MISTAKES.includes(name)) {
    if (count !== undefined) usage(`--mistake=${name} takes no value`);
    return [name, true];
  }
  if (rest.length > 0 || !/^[0-9]{1,9}$/.test(count || '')) {
    usage(`--mistake=${name} needs a step count, like ${name}=2`);
  }
  return [name, Number(count)];
}

// parseArgs returns a Map from mistake name to its value.
function parseArgs(args) {
  const mistakes = new Map();
  for (const arg of args) {
    if (!arg.startsWith('--mistake=')) {
      usage(`unknown argument ${JSON.stringify(arg)}`);
    }
    const [name, value] = parseMistake(arg.slice('--mistake='.length));
    if (mistakes.has(name) && mistakes.get(name) !== value) {
      usage(`--mistake=${name} given twice with different counts`);
    }
    mistakes.set(name, value);
  }
  if (mistakes.has('fixed-iv') && mistakes.has('zero-iv')) {
    usage('--mistake=fixed-iv and --mistake=zero-iv cannot be combined');
  }
  return mistakes;
}

// decodeKey returns the key bytes, or null if the value has the wrong
// shape for its encoding.
function decodeKey(value, encoding) {
  if (encoding === 'raw') {
    const key = Buffer.from(value, 'utf8');
    return key.length === KEY_BYTES ? key : null;
  }
  if (!BASE64_KEY.test(value)) {
    return null;
  }
  const key = Buffer.from(value, 'base64');
  return key.length === KEY_BYTES && key.toString('base64') === value ? key : null;
}

// checkBaseUrl returns a problem with the base URL, or null.
function checkBaseUrl(value) {
  let url;
  try {
    url = new URL(value);
  } catch {
    return 'GWCERT_BASE_URL is not a URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return 'GWCERT_BASE_URL must start with http:// or https://';
  }
  if (url.search !== '' || url.hash !== '') {
    return 'GWCERT_BASE_URL must not carry a query or a fragment';
  }
  return null;
}

// readConfig returns the client configuration from env. Every problem is
// reported at once, naming the variable and never showing its value; any
// problem exits 2.
function readConfig(env) {
  const missing = REQUIRED_ENV.filter((name) => !env[name]);
  if (missing.length > 0) {
    process.stderr.write(`driver: missing environment variables: ${missing.join(', ')}\n`);
    process.exit(2);
  }

  const problems = [];
  const scheme = env.GWCERT_SCHEME || 'aes-256-cbc';
  if (!SCHEMES.has(scheme)) {
    problems.push(`GWCERT_SCHEME must be one of ${[...SCHEMES.keys()].join(', ')}`);
  }
  const encoding = env.GWCERT_KEY_ENCODING || 'base64';
  const key = decodeKey(env.GWCERT_KEY, encoding);
  if (encoding !== 'base64' && encoding !== 'raw') {
    problems.push('GWCERT_KEY_ENCODING must be base64 or raw');
  } else if (key === null && encoding === 'raw') {
    problems.push('GWCERT_KEY must be 32 bytes (GWCERT_KEY_ENCODING=raw)');
  } else if (key === null) {
    problems.push('GWCERT_KEY must be 32 bytes in standard base64, 44 characters');
  }
  const urlProblem = checkBaseUrl(env.GWCERT_BASE_URL);
  if (urlProblem !== null) {
    problems.push(urlProblem);
  }

  if (problems.length > 0) {
    for (const problem of problems) process.stderr.write(`driver: ${problem}\n`);
    process.exit(2);
  }
  return {
    baseUrl: env.GWCERT_BASE_URL,
    passKey: env.GWCERT_PASS_KEY,
    clientId: env.GWCERT_CLIENT_ID,
    clientSecret: env.GWCERT_CLIENT_SECRET,
    key,
    scheme,
  };
}

// ---------------------------------------------------------------------------
// Steps

// parseStep reads one line into {id, method, path, payload}, or throws a
// StepError naming the field at fault.
function parseStep(line) {
  let step;
  try {
    step = JSON.parse(line);
  } catch {
    throw new StepError('invalid step: not JSON');
  }
  if (step === null || typeof step !== 'object' || Array.isArray(step)) {
    throw new StepError('invalid step: not a JSON object');
  }
  const id = step.step;
  if (typeof id !== 'string') {
    throw new StepError('invalid step: step must be a string');
  }
  if (typeof step.method !== 'string' || !HTTP_METHOD.test(step.method)) {
    throw new StepError('invalid step: method must be an HTTP method name', id);
  }
  if (typeof step.path !== 'string' || !API_PATH.test(step.path)) {
    throw new StepError('invalid step: path must start with / and hold no spaces', id);
  }
  if (!('payload' in step)) {
    throw new StepError('invalid step: payload is missing', id);
  }
  return { id, method: step.method, path: step.path, payload: step.payload };
}

// failureText turns an error from a call into safe text for the answer.
// Node's network errors name the address and the cause, nothing secret;
// other errors of Node are reported by their code alone.
function failureText(err) {
  if (err instanceof GatewayError || err instanceof StepError) {
    return err.message;
  }
  if (err && typeof err.syscall === 'string') {
    return `request failed: ${err.message}`;
  }
  if (err && typeof err.code === 'string') {
    return `request failed: ${err.code}`;
  }
  return 'internal error';
}

// misreport returns a body that differs from the one opened.
function misreport(body) {
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    const names = Object.keys(body);
    if (names.length > 0) {
      const rest = { ...body };
      delete rest[names[names.length - 1]];
      return rest;
    }
  }
  return { misread: true };
}

// answerStep makes the call for one input line and returns the answer
// object. It never throws.
async function answerStep(client, line, mistakes) {
  let step;
  try {
    step = parseStep(line);
    const { status, body } = await client.call(step.method, step.path, step.payload);

    // MISTAKE (--mistake=misreport-body): the report drops a member.
    if (mistakes.has('misreport-body') && status >= 200 && status <= 299) {
      return { step: step.id, status, body: misreport(body) };
    }
    return { step: step.id, status, body };
  } catch (err) {
    // A step that did not parse may still have named itself.
    let id = step === undefined ? null : step.id;
    if (err instanceof StepError) {
      id = err.id;
    }
    return { step: id, error: failureText(err) };
  }
}

// ---------------------------------------------------------------------------
// Program

// writeLine writes one line to stdout and resolves once it is handed over.
function writeLine(text) {
  return new Promise((resolve) => process.stdout.write(text + '\n', () => resolve()));
}

// hang keeps the process alive and never resolves.
function hang() {
  setInterval(() => {}, 60_000);
  return new Promise(() => {});
}

// afterAnswers applies the counted mistakes once count answers are out.
async function afterAnswers(count, mistakes) {
  // MISTAKE (--mistake=crash-after=N): the driver exits early, status 3.
  if (mistakes.get('crash-after') === count) {
    process.exit(CRASH_STATUS);
  }
  // MISTAKE (--mistake=hang-after=N): the driver stops answering, still running.
  if (mistakes.get('hang-after') === count) {
    await hang();
  }
}

async function main() {
  const mistakes = parseArgs(process.argv.slice(2));
  const client = new GatewayClient(readConfig(process.env), new Set(mistakes.keys()));

  // A reader that went away is not worth a stack trace.
  process.stdout.on('error', (err) => {
    process.stderr.write(`driver: stdout: ${err.code || 'write error'}\n`);
    process.exit(1);
  });

  // Lines are taken one at a time: the next step starts only after the
  // previous answer is written. Lines that arrive meanwhile wait in the
  // reader, so closing stdin early loses no step. Blank lines are skipped.
  let answered = 0;
  await afterAnswers(answered, mistakes);
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const answer = await answerStep(client, line, mistakes);

    // MISTAKE (--mistake=garbage): a stray log line before every answer.
    if (mistakes.has('garbage')) {
      await writeLine(GARBAGE_LINE);
    }
    await writeLine(JSON.stringify(answer));
    answered++;
    await afterAnswers(answered, mistakes);
  }
  client.close();
}

main().catch((err) => {
  // Only the kind of fault is shown: its message could hold input.
  process.stderr.write(`driver: internal error (${err && err.name})\n`);
  process.exit(1);
});
