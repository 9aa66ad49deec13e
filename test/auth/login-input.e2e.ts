import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createOrganization, createUser, PASSWORD } from '../support/factories';
import { post } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { assertApiError, loginUrl, refreshUrl } from './auth-helpers';

const EMAIL = 'input@acme.example';

describe('POST /api/auth/login and /refresh: every bad input class is a 400 (or 413), never a 500', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await createUser(t.db, await createOrganization(t.db), { email: EMAIL });
  });
  after(() => t.close());

  const login = (body: unknown) => post(loginUrl(t), body);
  const fieldsOf = (body: { errors?: { field: string }[] }) => [...new Set((body.errors ?? []).map((e) => e.field))].sort();

  it('refuses unknown fields, naming them', async () => {
    const res = await login({ email: EMAIL, password: PASSWORD, admin: true });
    assertApiError(res, 400, 'VALIDATION_FAILED');
    assert.deepEqual(fieldsOf(res.body), ['admin']);
  });

  it('refuses wrong types and nulls field by field', async () => {
    for (const body of [
      { email: 42, password: PASSWORD },
      { email: EMAIL, password: 12345678 },
      { email: EMAIL, password: true },
      { email: null, password: PASSWORD },
      { email: EMAIL, password: null },
      { email: [EMAIL], password: PASSWORD },
      { email: { $ne: '' }, password: PASSWORD },
    ]) {
      const res = await login(body);
      assertApiError(res, 400, 'VALIDATION_FAILED');
      assert.ok(fieldsOf(res.body).length > 0, res.text);
    }
  });

  it('asks for exactly one of password and impersonationToken', async () => {
    assertApiError(await login({ email: EMAIL }), 400, 'VALIDATION_FAILED');
    assertApiError(await login({ email: EMAIL, password: PASSWORD, impersonationToken: 'x.y.z' }), 400, 'VALIDATION_FAILED');
    const missingEmail = await login({ password: PASSWORD });
    assertApiError(missingEmail, 400, 'VALIDATION_FAILED');
    assert.deepEqual(fieldsOf(missingEmail.body), ['email']);
  });

  it('refuses a body that is not an object: an array, a string, a number, null', async () => {
    for (const raw of ['[]', `[{"email":"${EMAIL}","password":"${PASSWORD}"}]`, '"hello"', '42', 'null']) {
      const res = await post(loginUrl(t), undefined, { raw });
      assert.equal(res.status, 400, `${raw} → ${res.text}`);
      assert.equal(typeof res.body.code, 'string');
    }
  });

  it('refuses malformed JSON with a clear 400', async () => {
    for (const raw of ['{', '{"email":', `{"email":"${EMAIL}",}`, "{'email':'x'}", '\u0000']) {
      const res = await post(loginUrl(t), undefined, { raw });
      assertApiError(res, 400, 'MALFORMED_JSON');
      assert.ok(!/at .*\.(ts|js):\d+/.test(res.text), 'no stack trace');
    }
  });

  it('refuses NUL characters in the email, and a NUL-laden password never matches a shorter one', async () => {
    assertApiError(await login({ email: `${EMAIL}\u0000`, password: PASSWORD }), 400, 'VALIDATION_FAILED');
    // bcrypt keys on `p\0p…` exactly as on `p`: such a password must not open the account whose password is `p`.
    assertApiError(await login({ email: EMAIL, password: `${PASSWORD}\u0000${PASSWORD}` }), 401, 'INVALID_CREDENTIALS');
  });

  it('refuses a wrong Content-Type', async () => {
    const res = await post(loginUrl(t), undefined, {
      raw: `email=${EMAIL}&password=x`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assertApiError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    assert.match(res.body.message, /JSON/);
    const text = await post(loginUrl(t), undefined, { raw: 'hello', headers: { 'content-type': 'text/plain' } });
    assertApiError(text, 415, 'UNSUPPORTED_MEDIA_TYPE');
    assert.match(text.body.message, /JSON/);
  });

  it('answers 413 to a body over 16 KiB, on login and on refresh', async () => {
    const big = { email: EMAIL, password: 'x'.repeat(17 * 1024) };
    assertApiError(await login(big), 413, 'PAYLOAD_TOO_LARGE');
    assertApiError(await post(refreshUrl(t), { refreshToken: 'rt_'.padEnd(17 * 1024, 'a') }), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('refuses prototype-pollution keys', async () => {
    const res = await post(loginUrl(t), undefined, { raw: `{"email":"${EMAIL}","password":"x","__proto__":{"admin":true}}` });
    assert.equal(res.status, 400, res.text);
  });

  it('answers a malformed refresh token like an unknown one', async () => {
    for (const refreshToken of ['', 'rt_', 'rt_XYZ', 'not-a-token', 'rt_' + 'a'.repeat(64)]) {
      const res = await post(refreshUrl(t), { refreshToken });
      assert.ok(res.status === 400 || res.status === 401, res.text);
      if (res.status === 401) assertApiError(res, 401, 'INVALID_REFRESH_TOKEN');
    }
    assertApiError(await post(refreshUrl(t), { refreshToken: 7 }), 400, 'VALIDATION_FAILED');
  });
});
