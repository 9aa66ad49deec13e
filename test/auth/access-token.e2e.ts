import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AccessRole } from '../../src/identity/users/user.entity';
import { createOrganization, createUser, PASSWORD } from '../support/factories';
import { FakeClock } from '../support/fake-clock';
import { get } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { assertApiError, b64url, decodeJwt, login, meUrl, signJwt } from './auth-helpers';

const START = Date.parse('2031-06-01T12:00:00.000Z');

/**
 * Each refusal is checked against a control: the same hand-made token with the
 * flaw removed is accepted, so a 401 proves the rule and not a broken forgery.
 */
describe('Bearer access tokens: what GET /api/auth/me accepts and refuses', () => {
  const clock = new FakeClock(START);
  let t: TestApp;
  let secret: string;
  let claims: Record<string, unknown>;
  let header: Record<string, unknown>;
  let issued: string;

  const me = (token: string) => get(meUrl(t), { token });

  before(async () => {
    t = await startTestApp({ clock });
    secret = t.config.jwt.current.secret;
    const org = await createOrganization(t.db);
    await createUser(t.db, org, { email: 'member@acme.example' });
    await createUser(t.db, org, { email: 'admin@acme.example', accessRole: AccessRole.ADMIN });
    const res = await login(t, 'member@acme.example', PASSWORD);
    issued = res.body.token;
    ({ header, payload: claims } = decodeJwt(issued));
  });
  after(() => t.close());

  it('accepts the issued token and a hand-signed copy of it (the control)', async () => {
    assert.equal((await me(issued)).status, 200);
    const copy = signJwt(header, claims, secret);
    const res = await me(copy);
    assert.equal(res.status, 200, res.text);
  });

  it('refuses a missing, empty or non-JWT bearer with TOKEN_INVALID', async () => {
    assertApiError(await get(meUrl(t)), 401, 'TOKEN_INVALID');
    assertApiError(await get(meUrl(t), { headers: { authorization: 'Bearer ' } }), 401, 'TOKEN_INVALID');
    assertApiError(await me('not-a-jwt'), 401, 'TOKEN_INVALID');
    assertApiError(await get(meUrl(t), { headers: { authorization: `Basic ${issued}` } }), 401, 'TOKEN_INVALID');
  });

  it('refuses alg "none" (with or without a signature) with TOKEN_INVALID', async () => {
    for (const alg of ['none', 'None', 'NONE']) {
      const unsigned = signJwt({ ...header, alg }, claims, secret);
      assertApiError(await me(unsigned), 401, 'TOKEN_INVALID');
      const [h, p] = unsigned.split('.');
      assertApiError(await me(`${h}.${p}.${issued.split('.')[2]}`), 401, 'TOKEN_INVALID');
    }
  });

  it('refuses another algorithm signed with the right secret with TOKEN_INVALID', async () => {
    for (const alg of ['HS384', 'HS512']) {
      assertApiError(await me(signJwt({ ...header, alg }, claims, secret)), 401, 'TOKEN_INVALID');
    }
  });

  it('refuses a tampered signature or payload with TOKEN_INVALID', async () => {
    const [h, p, s] = issued.split('.');
    const flipped = s.slice(0, 10) + (s[10] === 'A' ? 'B' : 'A') + s.slice(11);
    assertApiError(await me(`${h}.${p}.${flipped}`), 401, 'TOKEN_INVALID');
    const promoted = b64url({ ...claims, role: 'ADMIN' });
    assertApiError(await me(`${h}.${promoted}.${s}`), 401, 'TOKEN_INVALID');
    assertApiError(await me(`${h}.${p}.`), 401, 'TOKEN_INVALID');
  });

  it('refuses a token signed with another secret or naming an unknown kid with TOKEN_INVALID', async () => {
    assertApiError(await me(signJwt(header, claims, `${secret}-other`)), 401, 'TOKEN_INVALID');
    assertApiError(await me(signJwt({ ...header, kid: 'unknown' }, claims, secret)), 401, 'TOKEN_INVALID');
  });

  it('refuses a token for another audience, including the impersonation and workspace audiences, with TOKEN_INVALID', async () => {
    const aud = t.config.jwt.audience;
    for (const other of ['someone-else', `${aud}:impersonation`, `${aud}:workspace`, [aud, 'x'].join(' ')]) {
      assertApiError(await me(signJwt(header, { ...claims, aud: other }, secret)), 401, 'TOKEN_INVALID');
    }
    // What the impersonation endpoint signs: isImpersonation, the target's email, a jti, its own audience.
    const ticket = signJwt(
      header,
      { sub: claims.sub, email: 'member@acme.example', isImpersonation: true, jti: 'x', iss: claims.iss, aud: `${aud}:impersonation`, iat: claims.iat, exp: claims.exp },
      secret,
    );
    assertApiError(await me(ticket), 401, 'TOKEN_INVALID');
    const { aud: _aud, ...withoutAudience } = claims;
    assertApiError(await me(signJwt(header, withoutAudience, secret)), 401, 'TOKEN_INVALID');
  });

  it('refuses another issuer with TOKEN_INVALID', async () => {
    assertApiError(await me(signJwt(header, { ...claims, iss: 'evil' }, secret)), 401, 'TOKEN_INVALID');
  });

  it('refuses a token whose sub is not the session user, or that has no session, with TOKEN_INVALID', async () => {
    assertApiError(await me(signJwt(header, { ...claims, sub: '00000000-0000-4000-8000-000000000000' }, secret)), 401, 'TOKEN_INVALID');
    const { sid: _sid, ...withoutSession } = claims;
    assertApiError(await me(signJwt(header, withoutSession, secret)), 401, 'TOKEN_INVALID');
    for (const sid of ['not-a-uuid', 42, '00000000-0000-4000-8000-000000000000']) {
      const res = await me(signJwt(header, { ...claims, sid }, secret));
      assert.equal(res.status, 401, `sid ${String(sid)}: ${res.text}`);
      assert.ok(['TOKEN_INVALID', 'SESSION_REVOKED'].includes(res.body.code), res.text);
    }
  });

  it('answers TOKEN_EXPIRED once exp has passed on the service clock, not before', async () => {
    const res = await login(t, 'admin@acme.example', PASSWORD);
    const { exp } = decodeJwt(res.body.token).payload;
    clock.set(exp * 1000 - 1000);
    assert.equal((await me(res.body.token)).status, 200);
    clock.set(exp * 1000);
    assertApiError(await me(res.body.token), 401, 'TOKEN_EXPIRED');
    clock.set(START);
  });

  it('answers TOKEN_EXPIRED for a correctly signed token whose exp is in the past', async () => {
    const past = { ...claims, iat: START / 1000 - 7200, exp: START / 1000 - 1 };
    assertApiError(await me(signJwt(header, past, secret)), 401, 'TOKEN_EXPIRED');
  });
});
