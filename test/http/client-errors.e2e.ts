import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startTestApp, TestApp } from '../support/test-app';

interface RawAnswer {
  status: number;
  headers: Map<string, string>;
  body: string;
  raw: string;
}

/** Sends `bytes` on a socket of its own and reads everything until the server closes it. */
function rawRequest(url: string, bytes: string): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const [head, ...rest] = raw.split('\r\n\r\n');
      const [statusLine, ...lines] = head.split('\r\n');
      const headers = new Map(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n'), raw });
    });
    socket.write(bytes);
  });
}

function assertOurHeaders(res: RawAnswer): void {
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff', res.raw);
  assert.match(res.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  assert.match(res.headers.get('x-request-id') ?? '', /^[A-Za-z0-9._-]{1,64}$/);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  assert.equal(Number(res.headers.get('content-length')), Buffer.byteLength(res.body));
}

const MARKER = 'echo-me-not-7f3a';
const bigHeaders = (path: string) => `GET ${path} HTTP/1.1\r\nHost: localhost\r\nX-Filler: ${MARKER}${'a'.repeat(20_000)}\r\n\r\n`;

/**
 * What node's HTTP parser refuses before Fastify has a request (headers over the limit,
 * a malformed request line or header) used to get Fastify's own body
 * (`{"error":"Request Header Fields Too Large",…}`) with none of our headers.
 */
describe('requests the HTTP parser refuses, answered over a raw socket', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ config: { logLevel: 'silent' } });
  });
  after(() => t?.close());

  it('answers headers over the size limit 431 REQUEST_HEADERS_TOO_LARGE, in our shape and headers, echoing nothing', async () => {
    const res = await rawRequest(t.url, bigHeaders('/api/auth/me'));
    assert.equal(res.status, 431, res.raw.slice(0, 500));
    assert.deepEqual(JSON.parse(res.body), { statusCode: 431, code: 'REQUEST_HEADERS_TOO_LARGE', message: 'The request headers are larger than the server accepts.' });
    assertOurHeaders(res);
    assert.ok(!res.raw.includes(MARKER));
  });

  it('answers a malformed request line or header 400 VALIDATION_FAILED, in our shape and headers', async () => {
    for (const bytes of [`GARBAGE ${MARKER}\r\n\r\n`, `GET /api/auth/me HTTP/1.1\r\nHost: localhost\r\nBad Header ${MARKER}\r\n\r\n`, `GET /api/auth/me HTTP/9.9\r\n\r\n`]) {
      const res = await rawRequest(t.url, bytes);
      assert.equal(res.status, 400, `${JSON.stringify(bytes)}: ${res.raw}`);
      assert.deepEqual(JSON.parse(res.body), { statusCode: 400, code: 'VALIDATION_FAILED', message: 'The request is not valid HTTP.' });
      assertOurHeaders(res);
      assert.ok(!res.raw.includes(MARKER), res.raw);
    }
  });

  it('answers the workspace envelope when the request line names /api/workspace', async () => {
    const tooLarge = await rawRequest(t.url, bigHeaders('/api/workspace/auth/me'));
    assert.equal(tooLarge.status, 431, tooLarge.raw.slice(0, 500));
    const envelope = JSON.parse(tooLarge.body);
    assert.deepEqual(Object.keys(envelope).sort(), ['Data', 'Errors', 'Success', 'Warnings']);
    assert.equal(envelope.Success, false);
    assert.equal(envelope.Errors[0].Code, 'RequestHeadersTooLarge');
    assertOurHeaders(tooLarge);

    const malformed = await rawRequest(t.url, `GET /api/workspace/auth/me HTTP/1.1\r\nHost: localhost\r\nBad Header\r\n\r\n`);
    assert.equal(malformed.status, 400, malformed.raw);
    assert.equal(JSON.parse(malformed.body).Success, false);
    assertOurHeaders(malformed);
  });
});

describe('a request that does not arrive in time, answered over a raw socket', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ config: { logLevel: 'silent', http: { headersTimeoutMs: 500, requestTimeoutMs: 500 } } });
  });
  after(() => t?.close());

  it('answers 408 REQUEST_TIMEOUT in our shape and headers, and closes the connection', async () => {
    // The headers never end: the server's header deadline passes.
    const res = await rawRequest(t.url, `GET /api/auth/me HTTP/1.1\r\nHost: localhost\r\nX-Slow: ${MARKER}\r\n`);
    assert.equal(res.status, 408, res.raw);
    assert.deepEqual(JSON.parse(res.body), { statusCode: 408, code: 'REQUEST_TIMEOUT', message: 'The request did not arrive in time.' });
    assertOurHeaders(res);
    assert.ok(!res.raw.includes(MARKER));
  });
});
