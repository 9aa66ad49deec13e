import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { User, AccessRole } from '../../src/identity/users/user.entity';
import { createMembership, createOrganization, createUser, createWorkspace, hashOf } from '../support/factories';
import { get, post } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';

const MEMBER_PASSWORD = 'Obs-Member-Secret-Passw0rd!';
const ADMIN_PASSWORD = 'Obs-Admin-Secret-Passw0rd!';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface LogLine {
  level: number;
  time: number;
  msg?: string;
  event?: string;
  req?: { id?: string };
  [key: string]: unknown;
}

describe('observability: structured logs, request ids, redaction and security events', () => {
  let t: TestApp;
  let member: User;
  let admin: User;
  /** Every secret the flows below handle; none may appear in any log line. */
  const secrets = new Map<string, string>();
  const ids = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
  const parsed = (): LogLine[] => t.logs.map((l) => JSON.parse(l) as LogLine);
  const eventLines = (event: string) => parsed().filter((l) => l.event === event);

  before(async () => {
    // Grace 0: presenting a rotated refresh token again is reuse at once. The test client stands for a
    // trusted proxy (TRUST_PROXY), whose X-Request-Id names the request (test/http/strictness.e2e.ts: anyone else's does not).
    t = await startTestApp({ captureLogs: true, config: { refreshGraceSeconds: 0, bcryptCost: 4, trustProxy: ['127.0.0.1'] } });
    const org = await createOrganization(t.db);
    member = await createUser(t.db, org, { email: 'obs-member@example.test', passwordHash: await hashOf(MEMBER_PASSWORD, 4) });
    admin = await createUser(t.db, org, {
      email: 'obs-admin@example.test',
      accessRole: AccessRole.ADMIN,
      passwordHash: await hashOf(ADMIN_PASSWORD, 4),
    });
    await createMembership(t.db, await createWorkspace(t.db, org), member, { isDefault: true });
    secrets.set('member password', MEMBER_PASSWORD);
    secrets.set('admin password', ADMIN_PASSWORD);
    secrets.set('member bcrypt hash', member.passwordHash as string);
    secrets.set('admin bcrypt hash', admin.passwordHash as string);
  });
  after(() => t.close());

  it('writes every log line as JSON with a level and a time', async () => {
    await get(`${t.url}/api/health`);
    assert.ok(t.logs.length > 0);
    for (const line of parsed()) {
      assert.equal(typeof line.level, 'number');
      assert.equal(typeof line.time, 'number');
    }
  });

  it('keeps a sane inbound X-Request-Id, echoes it, and logs the request under it', async () => {
    const res = await post(`${t.url}/api/auth/login`, { email: member.email, password: 'wrong' }, { headers: { 'x-request-id': 'obs-trace.42_A' } });
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('x-request-id'), 'obs-trace.42_A');
    assert.ok(parsed().some((l) => l.req?.id === 'obs-trace.42_A'), 'a log line carries the request id');
    const completed = parsed().find((l) => l.msg === 'request completed' && l.req?.id === 'obs-trace.42_A');
    assert.ok(completed, 'the refused request is logged when it finishes');
    assert.deepEqual(completed.req, { id: 'obs-trace.42_A', method: 'POST', url: '/api/auth/login' });
    assert.deepEqual(completed.res, { statusCode: 401 });
    assert.equal(typeof completed.responseTime, 'number');
  });

  it('logs successful requests at debug level, below the default info', async () => {
    await get(`${t.url}/api/health`, { headers: { 'x-request-id': 'obs-ok-1' } });
    await new Promise((r) => setTimeout(r, 20));
    const line = parsed().find((l) => l.req?.id === 'obs-ok-1');
    assert.ok(line);
    assert.equal(line.level, 20);
    assert.deepEqual(line.res, { statusCode: 200 });
  });

  it('replaces a missing or insane X-Request-Id with a fresh UUID, echoed too', async () => {
    for (const given of [undefined, 'has spaces in it', 'x'.repeat(65), '<script>']) {
      const res = await get(`${t.url}/api/health`, given === undefined ? {} : { headers: { 'x-request-id': given } });
      const id = res.headers.get('x-request-id') ?? '';
      assert.match(id, UUID, `for ${String(given)}`);
    }
    const a = await get(`${t.url}/api/nope`);
    assert.equal(a.status, 404);
    assert.match(a.headers.get('x-request-id') ?? '', UUID, 'error answers carry the id too');
  });

  it('logs a failed login as a structured login.failed event of that request, without the email or password', async () => {
    const requestId = ids('failed');
    await post(`${t.url}/api/auth/login`, { email: member.email, password: 'not-it-either' }, { headers: { 'x-request-id': requestId } });
    const line = eventLines('login.failed').find((l) => l.req?.id === requestId);
    assert.ok(line, 'login.failed with the request id');
    assert.equal(typeof line.account, 'string');
    assert.equal(line.userId, member.id);
    assert.doesNotMatch(JSON.stringify(line), /obs-member@example\.test|not-it-either/);
  });

  it('logs throttling (429) as login.throttled', async () => {
    let throttled = false;
    for (let i = 0; i < 30 && !throttled; i++) {
      const res = await post(`${t.url}/api/auth/login`, { email: 'obs-nobody@example.test', password: `guess-${i}` });
      throttled = res.status === 429;
    }
    assert.ok(throttled, 'the throttle answered 429');
    const line = eventLines('login.throttled').at(-1);
    assert.ok(line);
    assert.equal(typeof line.retryAfterSeconds, 'number');
    assert.ok(line.req?.id, 'with the request id');
  });

  it('logs refresh token reuse as refresh.reuse_detected', async () => {
    const login = await post(`${t.url}/api/auth/login`, { email: member.email, password: MEMBER_PASSWORD });
    assert.equal(login.status, 200, login.text);
    secrets.set('access token', login.body.token);
    secrets.set('refresh token', login.body.refreshToken);
    const rotated = await post(`${t.url}/api/auth/refresh`, { refreshToken: login.body.refreshToken });
    assert.equal(rotated.status, 200, rotated.text);
    secrets.set('rotated access token', rotated.body.token);
    secrets.set('rotated refresh token', rotated.body.refreshToken);
    await new Promise((r) => setTimeout(r, 20));
    const reused = await post(`${t.url}/api/auth/refresh`, { refreshToken: login.body.refreshToken }, { headers: { 'x-request-id': 'obs-reuse' } });
    assert.equal(reused.body.code, 'REFRESH_TOKEN_REUSED', reused.text);
    const line = eventLines('refresh.reuse_detected').find((l) => l.req?.id === 'obs-reuse');
    assert.ok(line, 'refresh.reuse_detected with the request id');
    assert.equal(line.userId, member.id);
    assert.equal(typeof line.sessionId, 'string');
  });

  it('logs impersonation issued, redeemed and rejected as events', async () => {
    const adminLogin = await post(`${t.url}/api/auth/login`, { email: admin.email, password: ADMIN_PASSWORD });
    assert.equal(adminLogin.status, 200, adminLogin.text);
    secrets.set('admin access token', adminLogin.body.token);
    secrets.set('admin refresh token', adminLogin.body.refreshToken);
    const issued = await post(`${t.url}/api/auth/impersonate/${member.id}`, { reason: 'support ticket' }, { token: adminLogin.body.token });
    assert.equal(issued.status, 200, issued.text);
    secrets.set('impersonation token', issued.body.impersonationToken);
    const redeemed = await post(`${t.url}/api/auth/login`, { email: member.email, impersonationToken: issued.body.impersonationToken });
    assert.equal(redeemed.status, 200, redeemed.text);
    secrets.set('impersonated access token', redeemed.body.token);
    secrets.set('impersonated refresh token', redeemed.body.refreshToken);
    const again = await post(`${t.url}/api/auth/login`, { email: member.email, impersonationToken: issued.body.impersonationToken });
    assert.equal(again.status, 401);

    const issuedLine = eventLines('impersonation.issued').at(-1);
    assert.ok(issuedLine);
    assert.equal(issuedLine.adminId, admin.id);
    assert.equal(issuedLine.targetUserId, member.id);
    const redeemedLine = eventLines('impersonation.redeemed').at(-1);
    assert.ok(redeemedLine);
    assert.equal(redeemedLine.adminId, admin.id);
    assert.equal(redeemedLine.targetUserId, member.id);
    assert.equal(eventLines('impersonation.rejected').at(-1)?.why, 'already_redeemed');
  });

  it('never logs a password, a bcrypt hash, a token or an Authorization header value', async () => {
    const token = secrets.get('rotated access token') as string;
    await get(`${t.url}/api/auth/me`, { token });
    await get(`${t.url}/api/auth/me`, { token: `${token}tampered` });
    await get(`${t.url}/api/auth/me`, { headers: { authorization: 'Basic b2JzOnNlY3JldC1iYXNpYy1jcmVkZW50aWFs' } });
    secrets.set('basic credentials', 'b2JzOnNlY3JldC1iYXNpYy1jcmVkZW50aWFs');
    const ws = await post(`${t.url}/api/workspace/auth/login`, { UserNameOrEmail: member.email, Password: MEMBER_PASSWORD });
    assert.equal(ws.status, 200, ws.text);
    secrets.set('workspace access token', ws.body.Data.AccessToken);
    await post(`${t.url}/api/workspace/auth/login`, { UserNameOrEmail: member.email, Password: 'ws-wrong-password' });
    secrets.set('wrong workspace password', 'ws-wrong-password');
    // Let the asynchronous log stream flush.
    await new Promise((r) => setTimeout(r, 100));

    assert.ok(t.logs.length > 20, 'the flows above were logged');
    const all = t.logs.join('\n');
    for (const [what, secret] of secrets) {
      assert.ok(secret && secret.length >= 8, what);
      assert.ok(!all.includes(secret), `a log line contains the ${what}`);
      // A JWT's signature alone identifies it. Only JWTs: a bcrypt hash may hold dots too (its alphabet is ./A-Za-z0-9),
      // and a short run after its last dot would then turn up by chance in any log.
      const parts = secret.split('.');
      if (parts.length === 3 && secret.startsWith('eyJ')) assert.ok(!all.includes(parts[2]), `a log line contains the signature of the ${what}`);
    }
    assert.doesNotMatch(all, /\$2[aby]\$\d\d\$/, 'no bcrypt hash of any kind');
    assert.doesNotMatch(all, /rt_[0-9a-f]{32}/, 'no refresh token of any kind');
    assert.doesNotMatch(all, /Bearer /i, 'no Authorization header value');
  });
});
