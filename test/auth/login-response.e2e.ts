import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_SESSION_POLICY } from '../../src/identity/organizations/session-policy';
import { AccessRole } from '../../src/identity/users/user.entity';
import { createOrganization, createUser, PASSWORD } from '../support/factories';
import { FakeClock } from '../support/fake-clock';
import { get } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { decodeJwt, login, meUrl, sha256 } from './auth-helpers';

const START = Date.parse('2031-03-04T05:06:07.000Z');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A policy where every field differs from the defaults, so each one is proven to come from the organization. */
const ACME_POLICY = {
  enabled: true,
  idleTimeoutMinutes: 45,
  tokenExpiryHours: 3,
  warningTimeMinutes: 5,
  idleTrackingEnabled: false,
  ssoSilentRenewalEnabled: false,
  ssoFallbackBehavior: 'logout' as const,
  passwordSilentRenewalEnabled: true,
  passwordFallbackBehavior: 'redirect' as const,
};

describe('POST /api/auth/login: every field of the response and of the access token', () => {
  const clock = new FakeClock(START);
  let t: TestApp;
  let acmeOrgId: string;
  let adminId: string;
  let memberOrgId: string;

  before(async () => {
    t = await startTestApp({ clock });
    const acme = await createOrganization(t.db, { slug: 'acme', name: 'Acme', sessionPolicy: ACME_POLICY });
    acmeOrgId = acme.id;
    const admin = await createUser(t.db, acme, {
      email: 'Ops@Acme.example',
      firstName: 'Acme',
      lastName: 'Admin',
      accessRole: AccessRole.ADMIN,
      conversationOpenPreference: 'tab',
    });
    adminId = admin.id;
    // An organization that stored only one field: the other eight take the documented defaults.
    const other = await createOrganization(t.db, { sessionPolicy: { tokenExpiryHours: 1 } });
    memberOrgId = other.id;
    await createUser(t.db, other, { email: 'member@other.example', firstName: 'Solo', lastName: '' });
  });
  after(() => t.close());

  it('answers 200 with token, refreshToken, sessionConfig, user and the additive session, in the seed order', async () => {
    clock.set(START);
    const res = await login(t, ' OPS@acme.example ', PASSWORD);
    assert.deepEqual(Object.keys(res.body), ['token', 'refreshToken', 'sessionConfig', 'user', 'session']);
    assert.match(res.body.refreshToken, /^rt_[0-9a-f]{32}$/);
    assert.deepEqual(res.body.sessionConfig, ACME_POLICY);
    assert.deepEqual(Object.keys(res.body.sessionConfig), Object.keys(DEFAULT_SESSION_POLICY), 'the seed order of the nine fields');
    assert.deepEqual(res.body.user, {
      id: adminId,
      email: 'ops@acme.example',
      fullName: 'Acme Admin',
      organizationId: acmeOrgId,
      accessRole: 'ADMIN',
      conversationOpenPreference: 'tab',
    });
    const { payload } = decodeJwt(res.body.token);
    assert.deepEqual(res.body.session, {
      id: payload.sid,
      method: 'password',
      createdAt: new Date(START).toISOString(),
      expiresAt: new Date(START + 720 * 3_600_000).toISOString(),
      idleExpiresAt: new Date(START + 45 * 60_000).toISOString(),
      accessTokenExpiresAt: new Date(START + 3 * 3_600_000).toISOString(),
      mfaAt: null,
    });
  });

  it('signs an HS256 access token with the configured kid and exactly the contract claims', async () => {
    clock.set(START);
    const res = await login(t, 'ops@acme.example', PASSWORD);
    const { header, payload } = decodeJwt(res.body.token);
    assert.deepEqual(header, { alg: 'HS256', typ: 'JWT', kid: t.config.jwt.current.kid });
    assert.deepEqual(Object.keys(payload).sort(), ['amr', 'aud', 'exp', 'iat', 'iss', 'org', 'role', 'sid', 'sub']);
    assert.deepEqual(payload.amr, ['pwd'], 'RFC 8176: a password alone');
    assert.equal(payload.sub, adminId);
    assert.match(payload.sid, UUID);
    assert.equal(payload.org, acmeOrgId);
    assert.equal(payload.role, 'ADMIN');
    assert.equal(payload.iss, t.config.jwt.issuer);
    assert.equal(payload.aud, t.config.jwt.audience);
    assert.equal(payload.iat, START / 1000);
    assert.equal(payload.exp - payload.iat, ACME_POLICY.tokenExpiryHours * 3600);
  });

  it('resolves sessionConfig from the defaults for what an organization did not store, and sizes the token from it', async () => {
    clock.set(START);
    const res = await login(t, 'member@other.example', PASSWORD);
    assert.deepEqual(res.body.sessionConfig, { ...DEFAULT_SESSION_POLICY, tokenExpiryHours: 1 });
    assert.equal(res.body.user.fullName, 'Solo');
    assert.equal(res.body.user.accessRole, 'MEMBER');
    assert.equal(res.body.user.conversationOpenPreference, 'split');
    assert.equal(res.body.user.organizationId, memberOrgId);
    assert.equal(res.body.session.idleExpiresAt, null, 'no idle deadline while the policy is disabled');
    const { payload } = decodeJwt(res.body.token);
    assert.equal(payload.role, 'MEMBER');
    assert.equal(payload.exp - payload.iat, 3600);
  });

  it('stores the session and only a SHA-256 of the refresh token', async () => {
    clock.set(START);
    const res = await login(t, 'ops@acme.example', PASSWORD);
    const { sid } = decodeJwt(res.body.token).payload;
    const [session] = await t.db.query(`SELECT user_id, organization_id, method, ended_at FROM sessions WHERE id = $1`, [sid]);
    assert.deepEqual(session, { user_id: adminId, organization_id: acmeOrgId, method: 'password', ended_at: null });
    const tokens = await t.db.query(`SELECT * FROM refresh_tokens WHERE session_id = $1`, [sid]);
    assert.equal(tokens.length, 1);
    assert.deepEqual(tokens[0].token_hash, sha256(res.body.refreshToken));
    const stored = JSON.stringify(tokens[0]) + JSON.stringify(await t.db.query(`SELECT * FROM sessions WHERE id = $1`, [sid]));
    assert.ok(!stored.includes(res.body.refreshToken.slice(3)), 'the token itself is stored nowhere');
  });

  it('gives each login a session of its own, and /me answers for the session of the token', async () => {
    clock.set(START);
    const first = await login(t, 'ops@acme.example', PASSWORD);
    const second = await login(t, 'ops@acme.example', PASSWORD);
    assert.notEqual(first.body.refreshToken, second.body.refreshToken);
    assert.notEqual(decodeJwt(first.body.token).payload.sid, decodeJwt(second.body.token).payload.sid);
    const me = await get(meUrl(t), { token: second.body.token });
    assert.equal(me.status, 200, me.text);
    assert.deepEqual(Object.keys(me.body), ['user', 'sessionConfig', 'session', 'impersonator']);
    assert.deepEqual(me.body.user, second.body.user);
    assert.deepEqual(me.body.sessionConfig, ACME_POLICY);
    assert.equal(me.body.session.id, decodeJwt(second.body.token).payload.sid);
    assert.equal(me.body.impersonator, null);
  });
});
