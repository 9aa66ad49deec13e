import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { b64url, signJwt } from '../auth/auth-helpers';
import { signIn } from '../support/sign-in';
import { createOrg, ticketFor } from '../impersonation/fixture';
import { FakeClock } from '../support/fake-clock';
import { PASSWORD } from '../support/factories';
import { get, HttpResponse, post } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { claimsOf, createWorkspaceFixture } from '../workspace/fixture';

const START = Date.parse('2031-06-01T12:00:00.000Z');
/** The browser presenting the SSO states: its nonce, and the hash a state bound to it carries. */
const SSO_NONCE = 'token-rules-browser-nonce-0123456789-abcdefghij';
const SSO_NONCE_HASH = createHash('sha256').update(SSO_NONCE).digest('base64url');

/**
 * Issue #13's "one token codec", seen from outside: each rule of the codec on every
 * kind of token, through the route that takes it. Every forgery is signed with the
 * service's own key (what only a key holder could do), and each kind has a control
 * that passes the token rules, so every refusal is the rule's.
 */
describe('one set of token rules for every kind of token, through its route', () => {
  const clock = new FakeClock(START);
  let t: TestApp;
  let secret: string;
  let kid: string;
  /** Each kind: a real token's claims, how to present a token, and how to tell "accepted" from "refused by a token rule". */
  let kinds: {
    name: string;
    claims: () => Promise<Record<string, unknown>>;
    present: (token: string) => Promise<HttpResponse>;
    accepted: (res: HttpResponse) => boolean;
    refused: (res: HttpResponse) => boolean;
    expired: (res: HttpResponse) => boolean;
  }[];

  let presenters = 0;
  const sign = (claims: Record<string, unknown>, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT', kid }) => signJwt(header, claims, secret);

  before(async () => {
    // The test client stands for a proxy, so each presentation comes from an address of its own: refused
    // redemptions are charged to the client's login budget (#14), which is not what this test counts.
    t = await startTestApp({ clock, config: { trustProxy: ['127.0.0.1'] } });
    secret = t.config.jwt.current.secret;
    kid = t.config.jwt.current.kid;
    await createWorkspaceFixture(t.db);
    const imp = await createOrg(t.db, 'imp');
    const adminToken = (await signIn(t, imp.admin.email)).token;
    kinds = [
      {
        name: 'access (GET /api/auth/me)',
        claims: async () => claimsOf((await signIn(t, 'ops@acme.example')).token),
        present: (token) => get(`${t.url}/api/auth/me`, { token }),
        accepted: (res) => res.status === 200,
        refused: (res) => res.status === 401 && res.body.code === 'TOKEN_INVALID',
        expired: (res) => res.status === 401 && res.body.code === 'TOKEN_EXPIRED',
      },
      {
        name: 'workspace (GET /api/workspace/auth/me)',
        claims: async () => {
          const res = await post(`${t.url}/api/workspace/auth/login`, { UserNameOrEmail: 'ops@acme.example', Password: PASSWORD });
          return claimsOf(res.body.Data.AccessToken);
        },
        present: (token) => get(`${t.url}/api/workspace/auth/me`, { token }),
        accepted: (res) => res.status === 200,
        refused: (res) => res.status === 401 && res.body.Errors[0]?.Code === 'TokenInvalid',
        // A workspace session ends with its one token: the session's own code says so (bearer-authenticator.service.ts).
        expired: (res) => res.status === 401 && ['TokenExpired', 'SessionExpired'].includes(res.body.Errors[0]?.Code),
      },
      {
        // A refused redemption leaves the ticket unspent: the control, presented last, redeems it.
        name: 'impersonation (POST /api/auth/login)',
        claims: async () => claimsOf(await ticketFor(t, adminToken, imp.member.id)),
        present: (token) =>
          post(`${t.url}/api/auth/login`, { email: imp.member.email, impersonationToken: token }, { headers: { 'x-forwarded-for': `198.51.100.${(presenters += 1)}` } }),
        accepted: (res) => res.status === 200,
        refused: (res) => res.status === 401 && res.body.code === 'IMPERSONATION_TOKEN_INVALID',
        expired: (res) => res.status === 401 && res.body.code === 'IMPERSONATION_TOKEN_INVALID',
      },
      {
        // No organization has this id: a state that passes the token rules (and is this browser's) reaches the organization lookup.
        name: 'SSO state (POST /api/auth/workos/callback)',
        claims: async () => ({ org: randomUUID(), jti: randomUUID(), bnh: SSO_NONCE_HASH, iss: 'authgate', aud: 'authgate-api:sso-state', iat: START / 1000, exp: START / 1000 + 600 }),
        present: (state) => post(`${t.url}/api/auth/workos/callback`, { code: 'code_x', state, browserNonce: SSO_NONCE }),
        accepted: (res) => res.status !== 400 || res.body.code !== 'INVALID_STATE',
        refused: (res) => res.status === 400 && res.body.code === 'INVALID_STATE',
        expired: (res) => res.status === 400 && res.body.code === 'INVALID_STATE',
      },
    ];
  });
  after(() => t.close());

  const flaws: [string, (claims: Record<string, unknown>) => string][] = [
    ['no kid', (c) => sign(c, { alg: 'HS256', typ: 'JWT' })],
    ['a kid naming no key', (c) => sign(c, { alg: 'HS256', typ: 'JWT', kid: 'retired' })],
    ['a crit header', (c) => sign(c, { alg: 'HS256', typ: 'JWT', kid, crit: ['exp'] })],
    ['alg none', (c) => `${b64url({ alg: 'none', typ: 'JWT', kid })}.${b64url(c)}.`],
    ['no exp', ({ exp: _exp, ...c }) => sign(c)],
    ['exp 1e20', (c) => sign({ ...c, exp: 1e20 })],
    ['exp as a string', (c) => sign({ ...c, exp: String(c.exp) })],
    ['iat out of range', (c) => sign({ ...c, iat: -1e20 })],
    ['another issuer', (c) => sign({ ...c, iss: 'someone-else' })],
  ];

  for (const index of [0, 1, 2, 3]) {
    it(`kind ${index + 1} of 4: every flaw is refused with the kind's own answer (never a 500), and the control passes`, async () => {
      const kind = kinds[index];
      const claims = await kind.claims();
      for (const [flaw, forge] of flaws) {
        const res = await kind.present(forge(claims));
        assert.ok(kind.refused(res), `${kind.name}, ${flaw}: ${res.status} ${res.text}`);
      }
      const control = await kind.present(sign(claims));
      assert.ok(kind.accepted(control), `${kind.name}, the control: ${control.status} ${control.text}`);
      // Expiry on the service's clock (a fresh token: the control may have spent its ticket): past exp by the
      // injected clock is refused though the wall clock is years earlier.
      const fresh = await kind.claims();
      clock.set((fresh.exp as number) * 1000);
      try {
        const late = await kind.present(sign(fresh));
        assert.ok(kind.expired(late), `${kind.name}, expired on the service clock: ${late.status} ${late.text}`);
      } finally {
        clock.set(START);
      }
    });
  }
});
