import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Session } from '../../src/sessions/session.entity';
import { ImpersonationTicket } from '../../src/impersonation/impersonation-ticket.entity';
import { Organization } from '../../src/identity/organizations/organization.entity';
import { createOrganization } from '../support/factories';
import { FakeClock } from '../support/fake-clock';
import { get, post } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { signIn } from '../support/sign-in';
import { auditRows, claimsOf, createOrg, me, Org, redeem, resign, setUser, ticketFor, UA, withRejection } from './fixture';

describe('POST /api/auth/login with an impersonation token', () => {
  let t: TestApp;
  let acme: Org;
  let globex: Org;
  let adminToken: string;
  const clock = new FakeClock(new Date('2026-11-01T09:00:00Z'));

  before(async () => {
    // The test client stands for a proxy, so each refusal below comes from a presenter of its own
    // (refusals are charged to the login budgets of the email and the client IP, #14 item 4).
    t = await startTestApp({ clock, config: { trustProxy: ['127.0.0.1'] } });
    acme = await createOrg(t.db, 'acme');
    globex = await createOrg(t.db, 'globex');
    await t.db.getRepository(Organization).update({ id: acme.org.id }, { sessionPolicy: { tokenExpiryHours: 3, idleTimeoutMinutes: 45 } });
    adminToken = (await signIn(t, acme.admin.email)).token;
  });
  after(() => t.close());
  beforeEach(() => clock.advance(1000));

  let presenters = 0;
  const nextPresenter = () => `198.51.100.${(presenters += 1)}`;

  /**
   * Expects 401 IMPERSONATION_TOKEN_INVALID and one rejection row saying `why`, recorded as the
   * presenter's act (their ip and user agent, no actor), never as the issuing admin's.
   */
  async function refused(email: string, token: string, why: string) {
    const ip = nextPresenter();
    const { result, row } = await withRejection(t, () => redeem(t, email, token, { 'x-forwarded-for': ip }));
    assert.equal(result.status, 401, result.text);
    assert.equal(result.body.code, 'IMPERSONATION_TOKEN_INVALID');
    assert.equal(row.details.why, why);
    assert.equal(row.ip, ip);
    assert.equal(row.userAgent, UA);
    assert.equal(row.actorUserId, null, 'a refused presentation is nobody\'s act but the presenter\'s');
    return row;
  }

  /** Expects the same 401 for a token that is not ours (garbage, foreign key or signature), and no audit row: only a log line. */
  async function refusedUnaudited(email: string, token: string) {
    const before = (await auditRows(t, 'impersonation.rejected')).length;
    const result = await redeem(t, email, token, { 'x-forwarded-for': nextPresenter() });
    assert.equal(result.status, 401, result.text);
    assert.equal(result.body.code, 'IMPERSONATION_TOKEN_INVALID');
    assert.equal((await auditRows(t, 'impersonation.rejected')).length, before, 'unauthenticated garbage writes no row');
  }

  it('opens a session of the target whose access token carries act.sub = the admin, and me shows the impersonator', async () => {
    const token = await ticketFor(t, adminToken, acme.member.id, 'Ticket #1');
    const res = await redeem(t, acme.member.email, token);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(Object.keys(res.body).sort(), ['refreshToken', 'session', 'sessionConfig', 'token', 'user']);
    assert.equal(res.body.user.id, acme.member.id);
    assert.equal(res.body.session.method, 'impersonation');
    const access = claimsOf(res.body.token);
    assert.equal(access.sub, acme.member.id);
    assert.deepEqual(access.act, { sub: acme.admin.id });
    assert.equal(access.aud, 'authgate-api');

    const who = await me(t, res.body.token);
    assert.equal(who.status, 200, who.text);
    assert.equal(who.body.user.email, acme.member.email);
    assert.deepEqual(who.body.impersonator, { id: acme.admin.id, email: acme.admin.email });

    const session = await t.db.getRepository(Session).findOneByOrFail({ id: res.body.session.id });
    assert.equal(session.method, 'impersonation');
    assert.equal(session.impersonatorId, acme.admin.id);
    const ticket = await t.db.getRepository(ImpersonationTicket).findOneByOrFail({ jti: claimsOf(token).jti });
    assert.equal(ticket.redeemedAt?.toISOString(), clock.now().toISOString());
    assert.equal(ticket.sessionId, res.body.session.id);
  });

  it("answers with the target organization's sessionConfig", async () => {
    const res = await redeem(t, acme.member.email, await ticketFor(t, adminToken, acme.member.id));
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.sessionConfig.tokenExpiryHours, 3);
    assert.equal(res.body.sessionConfig.idleTimeoutMinutes, 45);
    const access = claimsOf(res.body.token);
    assert.equal(access.exp - access.iat, 3 * 3600);
  });

  it('records the redemption with actor, target, reason, session, time, client IP and user agent', async () => {
    const token = await ticketFor(t, adminToken, acme.member2.id, 'billing question');
    const res = await redeem(t, acme.member2.email, token);
    assert.equal(res.status, 200, res.text);
    const row = (await auditRows(t, 'impersonation.redeemed')).find((r) => r.sessionId === res.body.session.id);
    assert.ok(row);
    assert.equal(row.organizationId, acme.org.id);
    assert.equal(row.actorUserId, acme.admin.id);
    assert.equal(row.targetUserId, acme.member2.id);
    assert.equal(row.reason, 'billing question');
    assert.equal(row.ip, '127.0.0.1');
    assert.equal(row.userAgent, UA);
    assert.equal(row.occurredAt.toISOString(), clock.now().toISOString());
    assert.equal(row.details.jti, claimsOf(token).jti);
  });

  it('compares the email case-insensitively, after trimming', async () => {
    const res = await redeem(t, `  ${acme.member.email.toUpperCase()} `, await ticketFor(t, adminToken, acme.member.id));
    assert.equal(res.status, 200, res.text);
  });

  it('works once: the second redemption of a token is refused', async () => {
    const token = await ticketFor(t, adminToken, acme.member.id);
    assert.equal((await redeem(t, acme.member.email, token)).status, 200);
    await refused(acme.member.email, token, 'already_redeemed');
  });

  it('refuses an expired token (the clock moved past its 120 s)', async () => {
    const token = await ticketFor(t, adminToken, acme.member.id);
    clock.advance(120_000);
    const row = await refused(acme.member.email, token, 'expired');
    assert.equal(row.organizationId, acme.org.id, 'an expired token of ours is still attributed');
    assert.equal(row.actorUserId, null);
    assert.equal(row.details.impersonatorId, acme.admin.id, 'the issuing admin is named, not made the actor');
  });

  it('accepts a token one second before it expires', async () => {
    const token = await ticketFor(t, adminToken, acme.member.id);
    clock.advance(119_000);
    assert.equal((await redeem(t, acme.member.email, token)).status, 200);
  });

  it("refuses when the email is not the token's, without using the ticket up", async () => {
    const token = await ticketFor(t, adminToken, acme.member.id);
    await refused(acme.member2.email, token, 'email_mismatch');
    assert.equal((await redeem(t, acme.member.email, token)).status, 200, 'a refused attempt leaves the ticket redeemable');
  });

  it('refuses when the admin was demoted after issuing it', async () => {
    const token = await ticketFor(t, adminToken, acme.member.id);
    await setUser(t, acme.admin, { accessRole: 'MEMBER' as never });
    try {
      await refused(acme.member.email, token, 'admin_not_allowed');
    } finally {
      await setUser(t, acme.admin, { accessRole: 'ADMIN' as never });
    }
  });

  it('refuses when the admin was deactivated after issuing it', async () => {
    const other = await signIn(t, acme.otherAdmin.email);
    const token = await ticketFor(t, other.token, acme.member.id);
    await setUser(t, acme.otherAdmin, { active: false });
    try {
      await refused(acme.member.email, token, 'admin_not_allowed');
    } finally {
      await setUser(t, acme.otherAdmin, { active: true });
    }
  });

  it("refuses when the admin moved to another organization than the target's", async () => {
    const other = await signIn(t, acme.otherAdmin.email);
    const token = await ticketFor(t, other.token, acme.member.id);
    await setUser(t, acme.otherAdmin, { organizationId: globex.org.id });
    try {
      await refused(acme.member.email, token, 'admin_not_allowed');
    } finally {
      await setUser(t, acme.otherAdmin, { organizationId: acme.org.id });
    }
  });

  it('refuses when the target was deactivated after the token was issued', async () => {
    const token = await ticketFor(t, adminToken, acme.member2.id);
    await setUser(t, acme.member2, { active: false });
    try {
      await refused(acme.member2.email, token, 'target_not_allowed');
    } finally {
      await setUser(t, acme.member2, { active: true });
    }
  });

  it('refuses when the target moved to another organization (a token of another org)', async () => {
    const token = await ticketFor(t, adminToken, acme.member2.id);
    await setUser(t, acme.member2, { organizationId: globex.org.id });
    try {
      await refused(acme.member2.email, token, 'target_not_allowed');
    } finally {
      await setUser(t, acme.member2, { organizationId: acme.org.id });
    }
  });

  it('refuses when the target became an ADMIN after the token was issued', async () => {
    const token = await ticketFor(t, adminToken, acme.member2.id);
    await setUser(t, acme.member2, { accessRole: 'ADMIN' as never });
    try {
      await refused(acme.member2.email, token, 'target_not_allowed');
    } finally {
      await setUser(t, acme.member2, { accessRole: 'MEMBER' as never });
    }
  });

  it("refuses another organization's token presented with another organization's user email", async () => {
    const globexAdmin = await signIn(t, globex.admin.email);
    const token = await ticketFor(t, globexAdmin.token, globex.member.id);
    await refused(acme.member.email, token, 'email_mismatch');
  });

  it('refuses an access token presented as an impersonation token', async () => {
    const access = await signIn(t, acme.member.email);
    await refusedUnaudited(acme.member.email, access.token);
  });

  it('refuses an impersonation token presented as a bearer token with 401 TOKEN_INVALID', async () => {
    const token = await ticketFor(t, adminToken, acme.member.id);
    for (const path of ['/api/auth/me', '/api/auth/impersonations']) {
      const res = await get(`${t.url}${path}`, { token });
      assert.equal(res.status, 401, res.text);
      assert.equal(res.body.code, 'TOKEN_INVALID');
    }
    const logout = await post(`${t.url}/api/auth/logout`, undefined, { token });
    assert.equal(logout.status, 401);
    assert.equal(logout.body.code, 'TOKEN_INVALID');
  });

  it('refuses a token whose isImpersonation flag is missing or not true, even with a live ticket', async () => {
    const claims = claimsOf(await ticketFor(t, adminToken, acme.member.id));
    const { isImpersonation: _, ...without } = claims;
    await refused(acme.member.email, resign(t, without), 'not_impersonation');
    await refused(acme.member.email, resign(t, { ...claims, isImpersonation: 'true' }), 'not_impersonation');
    assert.equal((await redeem(t, acme.member.email, resign(t, claims))).status, 200, 'the same claims, properly flagged, pass');
  });

  it('refuses a token without a kid, or with a kid we do not know, even when signed with our key (no audit row: not ours)', async () => {
    const claims = claimsOf(await ticketFor(t, adminToken, acme.member.id));
    await refusedUnaudited(acme.member.email, resign(t, claims, { kid: null }));
    await refusedUnaudited(acme.member.email, resign(t, claims, { kid: 'not-ours' }));
  });

  it('refuses a token signed with another key', async () => {
    const claims = claimsOf(await ticketFor(t, adminToken, acme.member.id));
    await refusedUnaudited(acme.member.email, resign(t, claims, { secret: 'another-deployment-secret-0123456789' }));
  });

  it('refuses alg none and tampered claims', async () => {
    const token = await ticketFor(t, adminToken, acme.member.id);
    const [header, payload, signature] = token.split('.');
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT', kid: t.config.jwt.current.kid })).toString('base64url');
    await refusedUnaudited(acme.member.email, `${none}.${payload}.`);
    const tampered = Buffer.from(JSON.stringify({ ...claimsOf(token), sub: acme.member2.id })).toString('base64url');
    await refusedUnaudited(acme.member.email, `${header}.${tampered}.${signature}`);
  });

  it('refuses a correctly signed token for which no ticket was issued', async () => {
    const claims = claimsOf(await ticketFor(t, adminToken, acme.member.id));
    await refused(acme.member.email, resign(t, { ...claims, jti: randomUUID() }), 'unknown_ticket');
  });

  it('refuses garbage without a 500 and without an audit row', async () => {
    await refusedUnaudited(acme.member.email, 'not-a-jwt');
    await refusedUnaudited(acme.member.email, 'a.b.c');
  });

  it('never lets the target log in as an impersonated session on their own: later password logins are ordinary', async () => {
    assert.equal((await redeem(t, acme.member.email, await ticketFor(t, adminToken, acme.member.id))).status, 200);
    const own = await signIn(t, acme.member.email);
    assert.equal(claimsOf(own.token).act, undefined);
    assert.equal(own.body.session.method, 'password');
    const who = await me(t, own.token);
    assert.equal(who.body.impersonator, null);
  });

  it('still refuses a body with both a password and an impersonation token', async () => {
    const token = await ticketFor(t, adminToken, acme.member.id);
    const res = await post(`${t.url}/api/auth/login`, { email: acme.member.email, password: 'x', impersonationToken: token });
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 'VALIDATION_FAILED');
  });

  it('never writes an impersonation token into an error body or the audit trail', async () => {
    const token = await ticketFor(t, adminToken, acme.member.id);
    const res = await redeem(t, acme.member2.email, token);
    assert.equal(res.text.includes(token), false);
    const rows = await auditRows(t);
    assert.equal(JSON.stringify(rows).includes(token.split('.')[2]), false);
  });
});

describe('impersonation tokens and key rotation', () => {
  it('still redeems a token signed with a previous key still listed for verification', async () => {
    const t = await startTestApp();
    try {
      const acme = await createOrg(t.db);
      const admin = await signIn(t, acme.admin.email);
      const token = await ticketFor(t, admin.token, acme.member.id);
      // A second instance on the same data whose current key is new and whose previous key is the first one.
      const rotated = await startTestApp({
        databaseUrl: t.config.database.url,
        config: { jwt: { current: { kid: 'k2', secret: 'second-secret-0123456789abcdef0123' }, previous: [t.config.jwt.current] } },
      });
      try {
        const res = await redeem(rotated, acme.member.email, token);
        assert.equal(res.status, 200, res.text);
      } finally {
        await rotated.close();
      }
    } finally {
      await t.close();
    }
  });

  it('refuses a token whose claims do not match the ticket it names (another organization id)', async () => {
    const t = await startTestApp();
    try {
      const acme = await createOrg(t.db);
      const other = await createOrganization(t.db);
      const admin = await signIn(t, acme.admin.email);
      const claims = claimsOf(await ticketFor(t, admin.token, acme.member.id));
      const { result, row } = await withRejection(t, () => redeem(t, acme.member.email, resign(t, { ...claims, org: other.id })));
      assert.equal(result.status, 401);
      assert.equal(row.details.why, 'ticket_mismatch');
    } finally {
      await t.close();
    }
  });
});
