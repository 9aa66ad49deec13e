import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { post, request } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { FUZZ_CONFIG, FuzzFixture, seedFuzzFixture } from './fuzz-fixture';

/** `{a:[{a:[…'x'…]}]}`, `depth` levels of objects and arrays. */
function nested(depth: number): unknown {
  let v: unknown = 'x';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

const STACK = /\bat .+:\d+:\d+|node_modules|\/src\//;

/** Faults the fuzzer found, each kept as the exact request that exposed it. */
describe('fuzz regressions', () => {
  let t: TestApp;
  let fixture: FuzzFixture;

  before(async () => {
    t = await startTestApp({ config: FUZZ_CONFIG });
    fixture = await seedFuzzFixture(t.url, t.db, t.config);
  });
  after(() => t.close());

  it('refuses a deeply nested unknown field with 400 instead of overflowing the stack in class-transformer (was 500)', async () => {
    const res = await post(`${t.url}/api/auth/refresh`, { refreshToken: 'rt_c3b79f13c725644e47ad1a19df246d26', P: nested(2000) });
    assert.equal(res.status, 400, res.text);
    assert.equal(res.body.code, 'VALIDATION_FAILED');
    assert.doesNotMatch(res.text, STACK);
  });

  it('refuses deep nesting on every body-taking route in that route\'s own error shape', async () => {
    const [admin] = fixture.context.bearerTokens;
    const cases: [string, string, Record<string, unknown>][] = [
      ['POST', '/api/auth/login', { email: 'a@b.test', password: 'x', p: nested(3000) }],
      ['POST', '/api/auth/workos/callback', { state: 's', p: nested(3000) }],
      ['POST', `/api/auth/impersonate/${fixture.context.ids[3]}`, { reason: 'r', p: nested(3000) }],
      ['PUT', `/api/organizations/${fixture.context.ids[0]}/session-policy`, { enabled: true, p: nested(3000) }],
    ];
    for (const [method, path, body] of cases) {
      const res = await request(method, `${t.url}${path}`, body, { token: admin });
      assert.equal(res.status, 400, `${path}: ${res.text}`);
      assert.equal(res.body.code, 'VALIDATION_FAILED', path);
    }
    const ws = await post(`${t.url}/api/workspace/auth/login`, { UserNameOrEmail: 'a', Password: 'b', p: nested(3000) });
    assert.equal(ws.status, 400, ws.text);
    assert.equal(ws.body.Success, false);
  });

  it('refuses an email with a lone UTF-16 surrogate with 400 instead of a URIError in validator\'s isEmail (was 500)', async () => {
    for (const body of [
      { email: '\udfff@example.test', impersonationToken: fixture.context.impersonationTokens[0] },
      { email: '\ud800', password: 'x' },
    ]) {
      const res = await post(`${t.url}/api/auth/login`, body);
      assert.equal(res.status, 400, res.text);
      assert.equal(res.body.code, 'VALIDATION_FAILED');
      assert.deepEqual(res.body.errors, [{ field: 'body', message: 'the request body contains text that is not well-formed Unicode' }]);
    }
    const ws = await post(`${t.url}/api/workspace/auth/login`, { UserNameOrEmail: '\ud800@example.test', Password: 'x' });
    assert.equal(ws.status, 400, ws.text);
    assert.equal(ws.body.Errors[0].Field, 'Body');
  });

  it('still accepts well-formed astral characters (surrogate pairs) in a body', async () => {
    const res = await post(`${t.url}/api/auth/login`, { email: 'fuzz-target@example.test', password: '\ud83d\ude00 not the password' });
    assert.equal(res.status, 401, res.text);
    assert.equal(res.body.code, 'INVALID_CREDENTIALS');
  });

  it('still accepts the shallow bodies every DTO declares', async () => {
    const res = await post(`${t.url}/api/auth/refresh`, { refreshToken: fixture.context.refreshTokens[0] });
    assert.equal(res.status, 200, res.text);
  });
});
