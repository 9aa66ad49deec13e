import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createOrganization, createUser, PASSWORD } from '../support/factories';
import { FakeClock } from '../support/fake-clock';
import { get, HttpResponse, post, request } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { WorkosStandIn } from '../support/workos-stand-in';
import { codeAt, enrollTotp, mfaTokenFor } from '../mfa/mfa-helpers';
import { assertApiError, login, logoutUrl, meUrl, refreshUrl, sha256 } from './auth-helpers';

const START = Date.parse('2031-09-10T08:00:00.000Z');
const NAME = '__Secure-authgate-refresh';
const LOGIN_KEYS = ['token', 'refreshToken', 'sessionConfig', 'user', 'session'];

interface SetCookie {
  name: string;
  value: string;
  attributes: Map<string, string>;
}

/** The Set-Cookie lines of an answer, parsed: name, value, attributes by lower-case name (flags map to ''). */
function setCookiesOf(res: HttpResponse): SetCookie[] {
  return res.headers.getSetCookie().map((line) => {
    const [pair, ...rest] = line.split(';').map((part) => part.trim());
    const eq = pair.indexOf('=');
    const attributes = new Map(
      rest.map((attribute) => {
        const i = attribute.indexOf('=');
        return i < 0 ? [attribute.toLowerCase(), ''] : [attribute.slice(0, i).toLowerCase(), attribute.slice(i + 1)];
      }),
    );
    return { name: pair.slice(0, eq), value: pair.slice(eq + 1), attributes };
  });
}

function refreshCookieOf(res: HttpResponse, name = NAME): SetCookie {
  const cookies = setCookiesOf(res).filter((c) => c.name === name);
  assert.equal(cookies.length, 1, `one ${name} cookie: ${res.headers.getSetCookie().join(' | ')}`);
  return cookies[0];
}

/**
 * The cookie's attributes exactly: HttpOnly, Secure, SameSite=Strict, Path=/api/auth, and its Max-Age.
 * On the real clock the server counted its Max-Age a moment before the test: one second more is that moment.
 */
function assertAttributes(cookie: SetCookie, maxAgeSeconds: number, secure = true, realClock = false): void {
  const maxAge = Number(cookie.attributes.get('max-age'));
  const counted = realClock && maxAge === maxAgeSeconds + 1 ? maxAge : maxAgeSeconds;
  const expected = new Map([
    ['max-age', String(counted)],
    ['path', '/api/auth'],
    ['httponly', ''],
    ...(secure ? [['secure', '']] : []),
    ['samesite', 'Strict'],
  ] as [string, string][]);
  assert.deepEqual(Object.fromEntries(cookie.attributes), Object.fromEntries(expected));
}

const withCookie = (token: string, name = NAME) => ({ cookie: `${name}=${token}` });
/** What the SPA sends in cookie mode: `{}` as JSON, the token only in the cookie. */
const cookieRefresh = (t: TestApp, token: string) => post(refreshUrl(t), {}, { headers: withCookie(token) });

describe('the refresh token in an httpOnly cookie (REFRESH_TOKEN_COOKIE=true)', () => {
  const clock = new FakeClock(START);
  let t: TestApp;
  let org: Awaited<ReturnType<typeof createOrganization>>;
  let userCounter = 0;

  async function freshLogin(): Promise<HttpResponse> {
    clock.set(START);
    const email = `cookie${++userCounter}@acme.example`;
    await createUser(t.db, org, { email });
    return login(t, email, PASSWORD);
  }
  const rotatedAt = async (token: string): Promise<Date | null> =>
    (await t.db.query(`SELECT rotated_at FROM refresh_tokens WHERE token_hash = $1`, [sha256(token)]))[0].rotated_at;
  const endedReason = async (sessionId: string): Promise<string | null> =>
    (await t.db.query(`SELECT end_reason FROM sessions WHERE id = $1`, [sessionId]))[0].end_reason;

  before(async () => {
    t = await startTestApp({ clock, config: { refreshTokenCookie: { secure: true }, sessionAbsoluteHours: 720 } });
    org = await createOrganization(t.db, { sessionPolicy: { tokenExpiryHours: 2 } });
  });
  after(() => t.close());

  it('sets the cookie on login, HttpOnly, Secure, SameSite=Strict, Path=/api/auth, living as long as the session; the body keeps its shape', async () => {
    const res = await freshLogin();
    assert.deepEqual(Object.keys(res.body), LOGIN_KEYS);
    assert.match(res.body.refreshToken, /^rt_[0-9a-f]{32}$/);
    const cookie = refreshCookieOf(res);
    assert.equal(cookie.value, res.body.refreshToken, 'the token the body carries');
    assertAttributes(cookie, 720 * 3600);
    assert.equal(Date.parse(res.body.session.expiresAt), START + 720 * 3600_000);
    assert.equal(res.headers.get('cache-control'), 'no-store');
  });

  it('refreshes with the cookie alone and rotates it: a new cookie each time, the old token spent', async () => {
    const first = await freshLogin();
    clock.advance(60_000);
    const res = await cookieRefresh(t, first.body.refreshToken);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(Object.keys(res.body), LOGIN_KEYS);
    const cookie = refreshCookieOf(res);
    assert.notEqual(cookie.value, first.body.refreshToken);
    assert.equal(cookie.value, res.body.refreshToken);
    assertAttributes(cookie, 720 * 3600 - 60, true);
    assert.equal((await rotatedAt(first.body.refreshToken))?.getTime(), START + 60_000);
    assert.equal((await get(meUrl(t), { token: res.body.token })).status, 200);

    clock.advance(60_000);
    const next = await cookieRefresh(t, cookie.value);
    assert.equal(next.status, 200, next.text);
    assert.notEqual(refreshCookieOf(next).value, cookie.value);
  });

  it('gives racing tabs the same successor within the grace window, and treats the old cookie as reuse after it', async () => {
    const first = await freshLogin();
    const sessionId = first.body.session.id as string;
    const a = await cookieRefresh(t, first.body.refreshToken);
    const b = await cookieRefresh(t, first.body.refreshToken);
    assert.equal(a.status, 200, a.text);
    assert.equal(b.status, 200, b.text);
    assert.equal(refreshCookieOf(b).value, refreshCookieOf(a).value, 'one chain: both tabs hold the same cookie');

    clock.advance(11_000);
    const reused = await cookieRefresh(t, first.body.refreshToken);
    assertApiError(reused, 401, 'REFRESH_TOKEN_REUSED');
    assert.equal(await endedReason(sessionId), 'refresh_reuse');
    assertApiError(await get(meUrl(t), { token: a.body.token }), 401, 'SESSION_REVOKED');
    assertApiError(await cookieRefresh(t, refreshCookieOf(a).value), 401, 'INVALID_REFRESH_TOKEN');
  });

  it('refuses a cookie-only refresh that is not sent as application/json (what a cross-site form or a no-cors fetch sends), spending nothing', async () => {
    const first = await freshLogin();
    const token = first.body.refreshToken as string;
    const bare = await request('POST', refreshUrl(t), undefined, { headers: withCookie(token) });
    assertApiError(bare, 415, 'UNSUPPORTED_MEDIA_TYPE');
    assert.match(bare.body.message, /Content-Type: application\/json/);
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await request('POST', refreshUrl(t), undefined, { headers: { ...withCookie(token), 'content-type': type }, raw: 'refreshToken=' });
      assertApiError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    }
    assert.equal(await rotatedAt(token), null, 'the token was never spent');
    assert.equal(setCookiesOf(bare).length, 0);
    assert.equal((await cookieRefresh(t, token)).status, 200, 'and still works when asked properly');
  });

  it('takes the body token over the cookie, and answers 400 when neither names one', async () => {
    const one = await freshLogin();
    const other = await freshLogin();
    const res = await post(refreshUrl(t), { refreshToken: one.body.refreshToken }, { headers: withCookie(other.body.refreshToken) });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.session.id, one.body.session.id);
    assert.equal(await rotatedAt(other.body.refreshToken), null);
    assertApiError(await post(refreshUrl(t), {}), 400, 'VALIDATION_FAILED');
    assertApiError(await cookieRefresh(t, 'rt_not-a-token'), 401, 'INVALID_REFRESH_TOKEN');
  });

  it('sets the cookie when the MFA step finishes the login', async () => {
    clock.set(START);
    const email = `cookie-mfa${++userCounter}@acme.example`;
    await createUser(t.db, org, { email });
    const { secret } = await enrollTotp(t, clock, email);
    const mfaToken = await mfaTokenFor(t, email);
    const res = await post(`${t.url}/api/auth/login/mfa`, { mfaToken, code: codeAt(secret, clock) });
    assert.equal(res.status, 200, res.text);
    const cookie = refreshCookieOf(res);
    assert.equal(cookie.value, res.body.refreshToken);
    assertAttributes(cookie, Math.floor((Date.parse(res.body.session.expiresAt) - clock.nowMs()) / 1000));
  });

  it('logs out with the bearer token and clears the cookie', async () => {
    const first = await freshLogin();
    const res = await post(logoutUrl(t), undefined, { token: first.body.token, headers: withCookie(first.body.refreshToken) });
    assert.equal(res.status, 204, res.text);
    const cleared = refreshCookieOf(res);
    assert.equal(cleared.value, '');
    assert.equal(cleared.attributes.get('max-age'), '0');
    assert.equal(Date.parse(cleared.attributes.get('expires') ?? ''), 0);
    assert.equal(cleared.attributes.get('path'), '/api/auth');
    assert.equal(await endedReason(first.body.session.id), 'logout');
  });

  it('logs out with the cookie alone (no access token, e.g. after a reload): the session ends and the cookie is cleared', async () => {
    const first = await freshLogin();
    const res = await post(logoutUrl(t), {}, { headers: withCookie(first.body.refreshToken) });
    assert.equal(res.status, 204, res.text);
    assert.equal(refreshCookieOf(res).value, '');
    assert.equal(await endedReason(first.body.session.id), 'logout');
    assertApiError(await get(meUrl(t), { token: first.body.token }), 401, 'SESSION_REVOKED');
    assertApiError(await cookieRefresh(t, first.body.refreshToken), 401, 'INVALID_REFRESH_TOKEN');
  });

  it('refuses a cookie-only logout not sent as application/json, and one with an unknown cookie or none', async () => {
    const first = await freshLogin();
    assertApiError(await request('POST', logoutUrl(t), undefined, { headers: withCookie(first.body.refreshToken) }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    assert.equal(await endedReason(first.body.session.id), null, 'a cross-site form cannot sign anyone out');
    assertApiError(await post(logoutUrl(t), {}, { headers: withCookie('rt_00000000000000000000000000000000') }), 401, 'INVALID_REFRESH_TOKEN');
    const none = await post(logoutUrl(t), {});
    assertApiError(none, 401, 'TOKEN_INVALID');
    assert.match(none.headers.get('www-authenticate') ?? '', /^Bearer/);
  });
});

describe('the SSO callback in cookie mode', () => {
  const REDIRECT = 'http://localhost:5173/auth/callback';
  const NONCE = randomBytes(32).toString('base64url');
  let t: TestApp;
  let workos: WorkosStandIn;
  before(async () => {
    workos = await WorkosStandIn.start();
    t = await startTestApp({ config: { refreshTokenCookie: { secure: true }, workos: workos.failFastConfig(), ssoRedirectUris: [REDIRECT] } });
  });
  after(async () => {
    await t.close();
    await workos.close();
  });

  it('sets the refresh cookie when the callback opens the SSO session', async () => {
    const org = await createOrganization(t.db, { slug: 'acme-cookie-sso', workosOrganizationId: 'org_01COOKIE' });
    await createUser(t.db, org, { email: 'sso-cookie@acme.example' });
    const query = new URLSearchParams({ organizationId: org.id, redirectUri: REDIRECT, browserNonce: NONCE });
    const authorized = await get(`${t.url}/api/auth/workos/authorize?${query.toString()}`);
    assert.equal(authorized.status, 200, authorized.text);
    const remote = workos.addUser({ email: 'sso-cookie@acme.example', emailVerified: true });
    const code = workos.issueCode(remote.id, 'org_01COOKIE');
    const res = await post(`${t.url}/api/auth/workos/callback`, { code, state: authorized.body.state, browserNonce: NONCE });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.session.method, 'sso');
    const cookie = refreshCookieOf(res);
    assert.equal(cookie.value, res.body.refreshToken);
    assertAttributes(cookie, Math.floor((Date.parse(res.body.session.expiresAt) - Date.now()) / 1000), true, true);
    assert.equal((await cookieRefresh(t, cookie.value)).status, 200, 'and the SSO session renews by it');
  });

  it('sets the refresh cookie when the emailed code finishes a migrated user\'s login (WorkOS email verification)', async () => {
    const org = await createOrganization(t.db, { slug: 'acme-cookie-verify' });
    const email = 'verify-cookie@acme.example';
    const remote = workos.addUser({ email, password: 'Migrated-Passw0rd!' });
    await createUser(t.db, org, { email, workosUserId: remote.id, migratedAt: new Date(), passwordHash: null });
    workos.setScenario(email, 'email_verification_required');
    const pending = await post(`${t.url}/api/auth/login`, { email, password: 'Migrated-Passw0rd!' });
    assert.equal(pending.status, 403, pending.text);
    assert.deepEqual(setCookiesOf(pending), [], 'no cookie before the login is finished');
    const res = await post(`${t.url}/api/auth/login/email-verification`, { token: pending.body.verification.token, code: workos.emailedCodeFor(remote.id) });
    assert.equal(res.status, 200, res.text);
    const cookie = refreshCookieOf(res);
    assert.equal(cookie.value, res.body.refreshToken);
    assertAttributes(cookie, Math.floor((Date.parse(res.body.session.expiresAt) - Date.now()) / 1000), true, true);
  });
});

describe('REFRESH_TOKEN_COOKIE_SECURE=false (development over plain http)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ config: { refreshTokenCookie: { secure: false } } });
  });
  after(() => t.close());

  it('names the cookie without the __Secure- prefix and leaves Secure out; it still rotates', async () => {
    const org = await createOrganization(t.db);
    await createUser(t.db, org, { email: 'plain@acme.example' });
    const res = await login(t, 'plain@acme.example', PASSWORD);
    const cookie = refreshCookieOf(res, 'authgate-refresh');
    assertAttributes(cookie, Math.floor((Date.parse(res.body.session.expiresAt) - Date.now()) / 1000), false, true);
    const next = await post(refreshUrl(t), {}, { headers: withCookie(cookie.value, 'authgate-refresh') });
    assert.equal(next.status, 200, next.text);
    assert.equal(refreshCookieOf(next, 'authgate-refresh').value, next.body.refreshToken);
  });
});

describe('REFRESH_TOKEN_IN_BODY=false: the token in the cookie only', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ config: { refreshTokenCookie: { secure: true, inBody: false } } });
  });
  after(() => t.close());

  it('leaves refreshToken out of the login and refresh bodies, which keep every other field; the cookie carries it and rotates', async () => {
    const org = await createOrganization(t.db);
    await createUser(t.db, org, { email: 'only@acme.example' });
    const res = await login(t, 'only@acme.example', PASSWORD);
    assert.deepEqual(Object.keys(res.body), ['token', 'sessionConfig', 'user', 'session']);
    const cookie = refreshCookieOf(res);
    assert.match(cookie.value, /^rt_[0-9a-f]{32}$/);
    assert.ok(!res.text.includes(cookie.value), 'nowhere in the body');
    const next = await cookieRefresh(t, cookie.value);
    assert.equal(next.status, 200, next.text);
    assert.deepEqual(Object.keys(next.body), ['token', 'sessionConfig', 'user', 'session']);
    const rotated = refreshCookieOf(next);
    assert.notEqual(rotated.value, cookie.value);
    assert.ok(!next.text.includes(rotated.value));
    assert.equal((await get(meUrl(t), { token: next.body.token })).status, 200);
  });
});

describe('without REFRESH_TOKEN_COOKIE (the default): nothing changes', () => {
  let t: TestApp;
  let first: HttpResponse;
  before(async () => {
    t = await startTestApp();
    const org = await createOrganization(t.db);
    await createUser(t.db, org, { email: 'plain@acme.example' });
    first = await login(t, 'plain@acme.example', PASSWORD);
  });
  after(() => t.close());

  it('sets no cookie, ignores one sent, and still requires the token in the body', async () => {
    assert.deepEqual(first.headers.getSetCookie(), []);
    assert.deepEqual(Object.keys(first.body), LOGIN_KEYS);
    const res = await post(refreshUrl(t), {}, { headers: withCookie(first.body.refreshToken) });
    assertApiError(res, 400, 'VALIDATION_FAILED');
    assert.deepEqual(res.body.errors, [{ field: 'refreshToken', message: 'refreshToken must be a string' }]);
    const rotated = await post(refreshUrl(t), { refreshToken: first.body.refreshToken });
    assert.equal(rotated.status, 200, rotated.text);
    assert.deepEqual(rotated.headers.getSetCookie(), []);
    first = rotated;
  });

  it('takes no logout by cookie: the bearer token is required', async () => {
    const res = await post(logoutUrl(t), {}, { headers: withCookie(first.body.refreshToken) });
    assertApiError(res, 401, 'TOKEN_INVALID');
    const out = await post(logoutUrl(t), undefined, { token: first.body.token });
    assert.equal(out.status, 204);
    assert.deepEqual(out.headers.getSetCookie(), []);
  });
});
