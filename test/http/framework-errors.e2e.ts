import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { get, HttpResponse, post } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';

/** What every answer carries, whoever refused the request: ours, not the framework's. */
function assertOurHeaders(res: HttpResponse): void {
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff', 'security headers');
  assert.match(res.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  assert.match(res.headers.get('x-request-id') ?? '', /^[A-Za-z0-9._-]{1,64}$/);
  assert.match(res.headers.get('content-type') ?? '', /application\/json/);
}

/** Nothing of the request echoed back raw, and nothing of Fastify's own body. */
function assertNothingEchoed(res: HttpResponse, sent: string): void {
  assert.ok(!res.text.includes(sent), `the answer echoes the path: ${res.text}`);
  assert.doesNotMatch(res.text, /FST_ERR|%ff|%c0|is not a valid url|exceeding the max param/i, res.text);
}

/**
 * Issue #14 item 7: a bad percent-escape or a path parameter over 200 characters got
 * Fastify's own body (the path echoed in it), with none of our headers. Fastify's router
 * answers those before any hook or Nest filter runs.
 */
describe('errors raised by the framework before routing', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ config: { logLevel: 'silent' } });
  });
  after(() => t?.close());

  for (const path of ['/api/auth/%c0', '/api/organizations/%ff/session-policy', '/api/auth/impersonate/%E0%A4%A']) {
    it(`answers a bad percent-escape (${path}) in the /api/auth error shape with our headers`, async () => {
      const res = await get(`${t.url}${path}`);
      assert.equal(res.status, 400, res.text);
      assert.deepEqual(Object.keys(res.body).sort(), ['code', 'message', 'statusCode']);
      assert.equal(res.body.statusCode, 400);
      assert.equal(res.body.code, 'VALIDATION_FAILED');
      assertOurHeaders(res);
      assertNothingEchoed(res, path);
    });
  }

  it('answers a path parameter over 200 characters as an unknown resource, in our shape, echoing nothing', async () => {
    const long = 'a'.repeat(250);
    const res = await post(`${t.url}/api/auth/impersonate/${long}`, {});
    assert.equal(res.status, 404, res.text);
    assert.equal(res.body.code, 'NOT_FOUND');
    assert.equal(res.body.statusCode, 404);
    assertOurHeaders(res);
    assertNothingEchoed(res, long);
  });

  it('answers the workspace envelope under /api/workspace (bad escape, long parameter)', async () => {
    for (const path of ['/api/workspace/%ff', `/api/workspace/auth/${'%ff'.repeat(3)}`, `/api/workspace/${'w'.repeat(300)}`]) {
      const res = await get(`${t.url}${path}`);
      assert.ok(res.status === 400 || res.status === 404, `${path}: ${res.status} ${res.text}`);
      assert.deepEqual(Object.keys(res.body).sort(), ['Data', 'Errors', 'Success', 'Warnings'], `${path}: ${res.text}`);
      assert.equal(res.body.Success, false);
      assert.equal(res.body.Data, null);
      assert.equal(res.body.Errors.length, 1);
      assertOurHeaders(res);
      assertNothingEchoed(res, path);
    }
  });
});
