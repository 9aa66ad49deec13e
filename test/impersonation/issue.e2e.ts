import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ImpersonationTicket } from '../../src/impersonation/impersonation-ticket.entity';
import { createUser } from '../support/factories';
import { FakeClock } from '../support/fake-clock';
import { post } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { signIn } from '../support/sign-in';
import { auditRows, claimsOf, createOrg, headerOf, impersonate, Org, redeem, setUser, ticketFor, UA } from './fixture';

describe('POST /api/auth/impersonate/{userId}', () => {
  let t: TestApp;
  let acme: Org;
  let globex: Org;
  let adminToken: string;
  const clock = new FakeClock(new Date('2026-11-01T09:00:00Z'));

  before(async () => {
    t = await startTestApp({ clock });
    acme = await createOrg(t.db, 'acme');
    globex = await createOrg(t.db, 'globex');
    adminToken = (await signIn(t, acme.admin.email)).token;
  });
  after(() => t.close());

  it('issues a short-lived HS256 token with its own audience, kid, jti, the target sub and email and the admin id', async () => {
    const res = await impersonate(t, adminToken, acme.member.id, { reason: 'Ticket #4821' });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(Object.keys(res.body).sort(), ['expiresAt', 'impersonationToken', 'user']);
    assert.deepEqual(res.body.user, {
      id: acme.member.id,
      email: acme.member.email,
      fullName: 'Mia Member',
      organizationId: acme.org.id,
      accessRole: 'MEMBER',
      conversationOpenPreference: 'split',
    });
    const header = headerOf(res.body.impersonationToken);
    assert.equal(header.alg, 'HS256');
    assert.equal(header.kid, t.config.jwt.current.kid);
    const claims = claimsOf(res.body.impersonationToken);
    assert.equal(claims.isImpersonation, true);
    assert.equal(claims.sub, acme.member.id);
    assert.equal(claims.email, acme.member.email);
    assert.equal(claims.adm, acme.admin.id);
    assert.equal(claims.aud, 'authgate-api:impersonation');
    assert.notEqual(claims.aud, 'authgate-api');
    assert.match(claims.jti, /^[0-9a-f-]{36}$/);
    assert.equal(claims.exp - claims.iat, 120);
    assert.equal(res.body.expiresAt, new Date(claims.exp * 1000).toISOString());
    assert.equal(JSON.stringify(claims).includes('act'), false, 'the ticket is not an access token');

    const ticket = await t.db.getRepository(ImpersonationTicket).findOneByOrFail({ jti: claims.jti });
    assert.equal(ticket.adminId, acme.admin.id);
    assert.equal(ticket.targetUserId, acme.member.id);
    assert.equal(ticket.organizationId, acme.org.id);
    assert.equal(ticket.reason, 'Ticket #4821');
    assert.equal(ticket.redeemedAt, null);
    assert.equal(ticket.expiresAt.toISOString(), res.body.expiresAt);
  });

  it('gives every token a unique jti', async () => {
    const a = claimsOf(await ticketFor(t, adminToken, acme.member.id));
    const b = claimsOf(await ticketFor(t, adminToken, acme.member.id));
    assert.notEqual(a.jti, b.jti);
  });

  it('records the issue in the audit trail with actor, target, reason, time, client IP and user agent', async () => {
    clock.advance(1000);
    const res = await impersonate(t, adminToken, acme.member2.id, { reason: 'checking the March invoices' });
    assert.equal(res.status, 200, res.text);
    const jti = claimsOf(res.body.impersonationToken).jti;
    const row = (await auditRows(t, 'impersonation.issued')).find((r) => r.details.jti === jti);
    assert.ok(row, 'issued row');
    assert.equal(row.organizationId, acme.org.id);
    assert.equal(row.actorUserId, acme.admin.id);
    assert.equal(row.targetUserId, acme.member2.id);
    assert.equal(row.reason, 'checking the March invoices');
    assert.equal(row.ip, '127.0.0.1');
    assert.equal(row.userAgent, UA);
    assert.equal(row.occurredAt.toISOString(), clock.now().toISOString());
    assert.equal(row.details.expiresAt, res.body.expiresAt);
  });

  it('accepts no body at all, and an empty object', async () => {
    const bare = await post(`${t.url}/api/auth/impersonate/${acme.member.id}`, undefined, { token: adminToken });
    assert.equal(bare.status, 200, bare.text);
    const empty = await impersonate(t, adminToken, acme.member.id, {});
    assert.equal(empty.status, 200, empty.text);
  });

  it('refuses a reason over 500 characters, a reason that is not a string and unknown fields with 400', async () => {
    const ok = await impersonate(t, adminToken, acme.member.id, { reason: 'x'.repeat(500) });
    assert.equal(ok.status, 200, ok.text);
    for (const body of [{ reason: 'x'.repeat(501) }, { reason: 42 }, { reason: null }, { why: 'x' }, [], null]) {
      const res = await impersonate(t, adminToken, acme.member.id, body);
      assert.equal(res.status, 400, `${JSON.stringify(body)}: ${res.text}`);
      assert.equal(res.body.code, 'VALIDATION_FAILED');
    }
  });

  it('refuses a caller who is not an ADMIN with 403 FORBIDDEN', async () => {
    const memberToken = (await signIn(t, acme.member.email)).token;
    const res = await impersonate(t, memberToken, acme.member2.id);
    assert.equal(res.status, 403, res.text);
    assert.equal(res.body.code, 'FORBIDDEN');
  });

  it('refuses without a bearer token (the route is not public)', async () => {
    const res = await post(`${t.url}/api/auth/impersonate/${acme.member.id}`, {});
    assert.equal(res.status, 401);
    assert.equal(res.body.code, 'TOKEN_INVALID');
  });

  it('refuses an unknown user, a user of another organization and an inactive user with the same 404 USER_NOT_FOUND', async () => {
    const inactive = await createUser(t.db, acme.org, { email: 'gone@acme.example', active: false });
    const answers = [];
    for (const id of ['7b0e4f7c-5d7e-4f0e-9a51-0c5a9f3e0d11', globex.member.id, inactive.id]) {
      const res = await impersonate(t, adminToken, id);
      assert.equal(res.status, 404, res.text);
      answers.push(res.text);
    }
    assert.equal(new Set(answers).size, 1, 'indistinguishable bodies');
    assert.equal(JSON.parse(answers[0]).code, 'USER_NOT_FOUND');
  });

  it('answers malformed ids with 404, never 500', async () => {
    for (const id of ['abc', '1', '00000000-0000-0000-0000-00000000000g', "x'%20OR%201=1--", 'a'.repeat(150), '%00', '%E2%98%83']) {
      const res = await impersonate(t, adminToken, id);
      assert.ok(res.status === 404 || res.status === 400, `${id}: ${res.status} ${res.text}`);
      assert.ok(['USER_NOT_FOUND', 'NOT_FOUND', 'VALIDATION_FAILED'].includes(res.body.code), res.text);
    }
  });

  it('refuses to impersonate yourself with 403 IMPERSONATION_FORBIDDEN', async () => {
    const res = await impersonate(t, adminToken, acme.admin.id);
    assert.equal(res.status, 403, res.text);
    assert.equal(res.body.code, 'IMPERSONATION_FORBIDDEN');
  });

  it('refuses to impersonate another ADMIN with 403 IMPERSONATION_FORBIDDEN', async () => {
    const res = await impersonate(t, adminToken, acme.otherAdmin.id);
    assert.equal(res.status, 403, res.text);
    assert.equal(res.body.code, 'IMPERSONATION_FORBIDDEN');
  });

  it('refuses from an impersonated session with 403 IMPERSONATION_NESTED, even when its target became an ADMIN', async () => {
    const token = await ticketFor(t, adminToken, acme.member.id);
    const session = await redeem(t, acme.member.email, token);
    assert.equal(session.status, 200, session.text);
    const nested = await impersonate(t, session.body.token, acme.member2.id);
    assert.equal(nested.status, 403, nested.text);
    assert.equal(nested.body.code, 'IMPERSONATION_NESTED');

    await setUser(t, acme.member, { accessRole: 'ADMIN' as never });
    clock.advance(t.config.sessionCacheMs + 1);
    const promoted = await impersonate(t, session.body.token, acme.member2.id);
    assert.equal(promoted.status, 403, promoted.text);
    assert.equal(promoted.body.code, 'IMPERSONATION_NESTED');
    await setUser(t, acme.member, { accessRole: 'MEMBER' as never });
  });
});

describe('IMPERSONATION_TOKEN_TTL_SECONDS', () => {
  let t: TestApp;
  after(() => t.close());

  it('sets the life of the token', async () => {
    t = await startTestApp({ config: { impersonation: { tokenTtlSeconds: 30 } } });
    const acme = await createOrg(t.db);
    const admin = await signIn(t, acme.admin.email);
    const res = await impersonate(t, admin.token, acme.member.id);
    assert.equal(res.status, 200, res.text);
    const claims = claimsOf(res.body.impersonationToken);
    assert.equal(claims.exp - claims.iat, 30);
  });
});
