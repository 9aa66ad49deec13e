import assert from 'node:assert/strict';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Organization } from '../../src/identity/organizations/organization.entity';
import { createOrganization, createUser, PASSWORD } from '../support/factories';
import { FakeClock } from '../support/fake-clock';
import { get, post } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { WorkosStandIn } from '../support/workos-stand-in';

const AUTHORIZE = '/api/auth/workos/authorize';
const CALLBACK = '/api/auth/workos/callback';
const REDIRECT = 'http://localhost:5173/auth/callback';
const WORKOS_ORG = 'org_01ACME';
/** What the browser under test keeps in sessionStorage while it is at WorkOS. */
const NONCE = randomBytes(32).toString('base64url');

describe('SSO through WorkOS: authorize and callback', () => {
  let t: TestApp;
  let workos: WorkosStandIn;
  let org: Organization;
  let otherOrg: Organization;
  const clock = new FakeClock(new Date('2026-03-01T09:00:00Z'));

  const authorize = (organizationId: string, redirectUri = REDIRECT, browserNonce = NONCE) =>
    get(`${t.url}${AUTHORIZE}?${new URLSearchParams({ organizationId, redirectUri, browserNonce }).toString()}`);

  /** A fresh state from the real endpoint. */
  async function freshState(organizationId = org.id): Promise<string> {
    const res = await authorize(organizationId);
    assert.equal(res.status, 200, res.text);
    return res.body.state as string;
  }

  /** A WorkOS user who signed in at WorkOS; returns the code WorkOS put on the redirect. */
  function signedInAtWorkos(email: string, fields: { emailVerified?: boolean; organizationId?: string | null } = {}) {
    const remote = workos.addUser({ email, emailVerified: fields.emailVerified ?? true });
    return { remote, code: workos.issueCode(remote.id, fields.organizationId === undefined ? WORKOS_ORG : fields.organizationId) };
  }

  /** The callback as the browser that started the flow posts it (its nonce unless the body says otherwise). */
  const callback = (body: Record<string, unknown>) =>
    post(`${t.url}${CALLBACK}`, { browserNonce: NONCE, ...body }, { headers: { 'user-agent': 'SSO-Browser/1.0' } });
  const unique = (name: string) => `${name}-${randomBytes(3).toString('hex')}@acme.example`;

  async function workosIdOf(userId: string): Promise<string | null> {
    const [row] = await t.db.query(`SELECT workos_user_id FROM users WHERE id = $1`, [userId]);
    return row.workos_user_id;
  }

  before(async () => {
    workos = await WorkosStandIn.start();
    t = await startTestApp({ clock, captureLogs: true, config: { workos: { ...workos.config(), timeoutMs: 300, maxRetries: 1 } } });
    org = await createOrganization(t.db, { slug: 'acme-sso', workosOrganizationId: WORKOS_ORG });
    otherOrg = await createOrganization(t.db, { slug: 'globex-sso', workosOrganizationId: 'org_01GLOBEX' });
  });
  after(async () => {
    await t.close();
    await workos.close();
  });
  beforeEach(() => {
    workos.requests.length = 0;
  });

  describe('GET /api/auth/workos/authorize', () => {
    it("answers WorkOS's authorization URL for the organization's WorkOS organization, with a signed state", async () => {
      const res = await authorize(org.id);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(Object.keys(res.body).sort(), ['expiresAt', 'state', 'url']);
      const url = new URL(res.body.url);
      assert.equal(url.origin, `http://127.0.0.1:${workos.port}`);
      assert.equal(url.pathname, '/user_management/authorize');
      assert.equal(url.searchParams.get('client_id'), workos.clientId);
      assert.equal(url.searchParams.get('organization_id'), WORKOS_ORG);
      assert.equal(url.searchParams.get('redirect_uri'), REDIRECT);
      assert.equal(url.searchParams.get('response_type'), 'code');
      assert.equal(url.searchParams.get('state'), res.body.state);
      assert.equal(res.body.expiresAt, '2026-03-01T09:10:00.000Z');
      assert.equal(workos.requests.length, 0, 'building the URL calls nobody');
    });

    it('refuses redirect URIs that are not loopback http when no allow-list is configured', async () => {
      for (const uri of [
        'http://evil.example/cb',
        'https://localhost/cb',
        'http://localhost.evil.example/cb',
        'http://localhost@evil.example/cb',
        'http://user:pw@localhost/cb',
        'http://localhost/cb#fragment',
        'javascript:alert(1)',
        'not a url',
      ]) {
        const res = await authorize(org.id, uri);
        assert.equal(res.status, 400, `${uri}: ${res.text}`);
        assert.equal(res.body.code, 'INVALID_REDIRECT_URI', uri);
      }
      assert.equal((await authorize(org.id, 'http://127.0.0.1:8080/done')).status, 200);
    });

    it('answers 404 for an unknown or malformed organization id', async () => {
      for (const id of [randomUUID(), 'not-an-id', "1' OR '1'='1"]) {
        const res = await authorize(id);
        assert.equal(res.status, 404, res.text);
        assert.equal(res.body.code, 'NOT_FOUND');
      }
    });

    it('answers 400 SSO_NOT_CONFIGURED for an organization without a WorkOS organization', async () => {
      const plain = await createOrganization(t.db, { slug: 'no-sso' });
      const res = await authorize(plain.id);
      assert.equal(res.status, 400, res.text);
      assert.equal(res.body.code, 'SSO_NOT_CONFIGURED');
    });

    it('answers 400 VALIDATION_FAILED without its parameters', async () => {
      const res = await get(`${t.url}${AUTHORIZE}?organizationId=${org.id}`);
      assert.equal(res.status, 400, res.text);
      assert.equal(res.body.code, 'VALIDATION_FAILED');
    });

    it('answers 400 VALIDATION_FAILED without a browserNonce, or one too short to be random', async () => {
      for (const query of [`redirectUri=${encodeURIComponent(REDIRECT)}`, `redirectUri=${encodeURIComponent(REDIRECT)}&browserNonce=abc`, `redirectUri=${encodeURIComponent(REDIRECT)}&browserNonce=${'x'.repeat(42)}`]) {
        const res = await get(`${t.url}${AUTHORIZE}?organizationId=${org.id}&${query}`);
        assert.equal(res.status, 400, res.text);
        assert.equal(res.body.code, 'VALIDATION_FAILED');
        assert.ok(res.body.errors.some((e: { field: string }) => e.field === 'browserNonce'), res.text);
      }
    });

    it('puts only a hash of the browserNonce into the state, which travels in URLs', async () => {
      const res = await authorize(org.id);
      assert.equal(res.status, 200, res.text);
      const claims = JSON.parse(Buffer.from((res.body.state as string).split('.')[1], 'base64url').toString());
      assert.equal(claims.bnh, createHash('sha256').update(NONCE).digest('base64url'));
      assert.doesNotMatch(res.body.url, new RegExp(NONCE));
    });
  });

  describe('POST /api/auth/workos/callback', () => {
    it('signs in end to end: authorize, WorkOS redirect with code and state, callback → an SSO session, user linked', async () => {
      const email = unique('sso-flow');
      const user = await createUser(t.db, org, { email, firstName: 'Sso', lastName: 'Flow' });
      const remote = workos.addUser({ email, emailVerified: true });
      const started = await authorize(org.id);
      workos.signInNextSsoAs(remote.id);
      const redirect = await fetch(started.body.url, { redirect: 'manual' });
      assert.equal(redirect.status, 302);
      const back = new URL(redirect.headers.get('location') as string);
      assert.equal(`${back.origin}${back.pathname}`, REDIRECT);
      assert.equal(back.searchParams.get('state'), started.body.state);

      const res = await callback({ code: back.searchParams.get('code'), state: back.searchParams.get('state') });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(Object.keys(res.body).sort(), ['refreshToken', 'session', 'sessionConfig', 'token', 'user']);
      assert.equal(res.body.user.id, user.id);
      assert.equal(res.body.session.method, 'sso');
      const [session] = await t.db.query(`SELECT method, ip, user_agent FROM sessions WHERE id = $1`, [res.body.session.id]);
      assert.deepEqual(session, { method: 'sso', ip: '127.0.0.1', user_agent: 'SSO-Browser/1.0' });
      assert.equal(await workosIdOf(user.id), remote.id);

      const [exchange] = workos.requestsTo('POST', '/user_management/authenticate');
      assert.equal(exchange.body.grant_type, 'authorization_code');
      assert.equal(exchange.body.client_secret, workos.apiKey);
      assert.equal(exchange.body.ip_address, '127.0.0.1');
      assert.equal(exchange.body.user_agent, 'SSO-Browser/1.0');

      const me = await get(`${t.url}/api/auth/me`, { token: res.body.token });
      assert.equal(me.status, 200, me.text);
    });

    it('links by a verified email that differs only in ASCII case, then finds the user by its link next time', async () => {
      const email = unique('casey');
      const user = await createUser(t.db, org, { email });
      const { remote, code } = signedInAtWorkos(email.toUpperCase());
      const first = await callback({ code, state: await freshState() });
      assert.equal(first.status, 200, first.text);
      assert.equal(first.body.user.id, user.id);
      assert.equal(await workosIdOf(user.id), remote.id);

      remote.email = 'renamed-at-workos@elsewhere.example';
      const second = await callback({ code: workos.issueCode(remote.id, WORKOS_ORG), state: await freshState() });
      assert.equal(second.status, 200, second.text);
      assert.equal(second.body.user.id, user.id);
    });

    it('refuses a WorkOS email that is not verified (403 USER_NOT_PROVISIONED) and links nothing', async () => {
      const email = unique('unverified');
      const user = await createUser(t.db, org, { email });
      const { code } = signedInAtWorkos(email, { emailVerified: false });
      const res = await callback({ code, state: await freshState() });
      assert.equal(res.status, 403, res.text);
      assert.equal(res.body.code, 'USER_NOT_PROVISIONED');
      assert.equal(await workosIdOf(user.id), null);
    });

    const lookAlikes: [string, string, string][] = [
      ['a Kelvin sign (U+212A) for K', 'kelvin@acme.example', '\u212Aelvin@acme.example'],
      ['a fullwidth letter (U+FF4F) for o', 'ops-fw@acme.example', '\uFF4Fps-fw@acme.example'],
      ['a trailing dot on the domain', 'dot@acme.example', 'dot@acme.example.'],
      ['a dotless i (U+0131) for i', 'mini@acme.example', 'm\u0131ni@acme.example'],
      ['a Cyrillic а (U+0430) for a', 'anna@acme.example', '\u0430nna@acme.example'],
    ];
    for (const [what, local, remoteEmail] of lookAlikes) {
      it(`does not treat ${what} as the ASCII address: 403, no link`, async () => {
        const user = await createUser(t.db, org, { email: local });
        const { code } = signedInAtWorkos(remoteEmail);
        const res = await callback({ code, state: await freshState() });
        assert.equal(res.status, 403, res.text);
        assert.equal(res.body.code, 'USER_NOT_PROVISIONED');
        assert.equal(await workosIdOf(user.id), null);
      });
    }

    it('answers 403 USER_NOT_PROVISIONED when no local user has the email', async () => {
      const { code } = signedInAtWorkos(unique('nobody'));
      const res = await callback({ code, state: await freshState() });
      assert.equal(res.status, 403, res.text);
      assert.equal(res.body.code, 'USER_NOT_PROVISIONED');
    });

    it('refuses an inactive local user, found by email or by link', async () => {
      const byEmail = await createUser(t.db, org, { email: unique('inactive'), active: false });
      const first = await callback({ code: signedInAtWorkos(byEmail.email).code, state: await freshState() });
      assert.equal(first.status, 403, first.text);
      assert.equal(await workosIdOf(byEmail.id), null);

      const remote = workos.addUser({ email: unique('linked-inactive') });
      await createUser(t.db, org, { email: remote.email, workosUserId: remote.id, active: false });
      const second = await callback({ code: workos.issueCode(remote.id, WORKOS_ORG), state: await freshState() });
      assert.equal(second.status, 403, second.text);
      assert.equal(second.body.code, 'USER_NOT_PROVISIONED');
    });

    it("refuses a user of another organization than the one the sign-in was started for", async () => {
      const email = unique('globex-user');
      const user = await createUser(t.db, otherOrg, { email });
      const res = await callback({ code: signedInAtWorkos(email).code, state: await freshState(org.id) });
      assert.equal(res.status, 403, res.text);
      assert.equal(res.body.code, 'USER_NOT_PROVISIONED');
      assert.equal(await workosIdOf(user.id), null);
    });

    it('refuses a sign-in WorkOS reports for another WorkOS organization', async () => {
      const email = unique('cross-org');
      await createUser(t.db, org, { email });
      const { code } = signedInAtWorkos(email, { organizationId: 'org_01GLOBEX' });
      const res = await callback({ code, state: await freshState(org.id) });
      assert.equal(res.status, 403, res.text);
      assert.equal(res.body.code, 'USER_NOT_PROVISIONED');
    });

    it('does not re-link a local user already linked to another WorkOS user', async () => {
      const email = unique('taken');
      const user = await createUser(t.db, org, { email, workosUserId: 'user_01ORIGINAL' });
      const res = await callback({ code: signedInAtWorkos(email).code, state: await freshState() });
      assert.equal(res.status, 403, res.text);
      assert.equal(await workosIdOf(user.id), 'user_01ORIGINAL');
    });

    it('keeps a linked user who still has a local password signing in with it (linking is not migration)', async () => {
      const email = unique('both');
      await createUser(t.db, org, { email });
      assert.equal((await callback({ code: signedInAtWorkos(email).code, state: await freshState() })).status, 200);
      const res = await post(`${t.url}/api/auth/login`, { email, password: PASSWORD });
      assert.equal(res.status, 200, res.text);
      assert.equal(workos.requestsTo('POST', '/user_management/authenticate').filter((r) => r.body.grant_type === 'password').length, 0);
    });

    describe('state', () => {
      it("is bound to the browser that started the sign-in: an attacker's code and state completed in a victim's browser open no session", async () => {
        // The attacker signs in at WorkOS with an account of their own, in their own browser, and stops at the redirect.
        const attackerEmail = unique('attacker');
        const attacker = await createUser(t.db, org, { email: attackerEmail });
        const attackerNonce = randomBytes(32).toString('base64url');
        const started = await authorize(org.id, REDIRECT, attackerNonce);
        workos.signInNextSsoAs(signedInAtWorkos(attackerEmail).remote.id);
        const back = new URL((await fetch(started.body.url, { redirect: 'manual' })).headers.get('location') as string);
        const planted = { code: back.searchParams.get('code'), state: back.searchParams.get('state') };
        const sessionsOf = async (userId: string) => (await t.db.query(`SELECT count(*)::int AS n FROM sessions WHERE user_id = $1`, [userId]))[0].n;
        const exchangesBefore = workos.requestsTo('POST', '/user_management/authenticate').length;

        // The victim's browser, lured to the redirect URI: it holds its own nonce (a sign-in of its own started), or none.
        for (const victim of [{ browserNonce: NONCE }, { browserNonce: undefined }]) {
          const res = await callback({ ...planted, ...victim });
          assert.equal(res.status, 400, res.text);
          assert.equal(res.body.code, 'SSO_BROWSER_MISMATCH');
          assert.equal(res.body.token, undefined);
          // An operator can alert on it: one security event, under the request's id, naming no secret.
          const requestId = res.headers.get('x-request-id') as string;
          const events = t.logs.filter((line) => line.includes('"sso.browser_mismatch"') && line.includes(requestId));
          assert.equal(events.length, 1, `one event for request ${requestId}`);
          assert.equal(JSON.parse(events[0]).nonce, victim.browserNonce === undefined ? 'missing' : 'other');
          assert.ok(!events[0].includes(NONCE) && !events[0].includes(planted.state as string), events[0]);
        }
        assert.equal(await sessionsOf(attacker.id), 0, 'no session was opened');
        assert.equal(workos.requestsTo('POST', '/user_management/authenticate').length, exchangesBefore, 'the code never reached WorkOS');

        // In the browser that started it, the same code and state still sign in (a refusal elsewhere does not spend them).
        const own = await callback({ ...planted, browserNonce: attackerNonce });
        assert.equal(own.status, 200, own.text);
        assert.equal(own.body.user.id, attacker.id);
        assert.equal(await sessionsOf(attacker.id), 1);
      });

      it('is single use: the second callback with a used state is 400 INVALID_STATE and never reaches WorkOS', async () => {
        const email = unique('once');
        await createUser(t.db, org, { email });
        const state = await freshState();
        assert.equal((await callback({ code: signedInAtWorkos(email).code, state })).status, 200);
        const before = workos.requests.length;
        const again = await callback({ code: workos.issueCode(workos.usersWithEmail(email)[0].id, WORKOS_ORG), state });
        assert.equal(again.status, 400, again.text);
        assert.equal(again.body.code, 'INVALID_STATE');
        assert.equal(workos.requests.length, before);
      });

      it('holds single use under concurrency: 10 callbacks with one state give one 200', async () => {
        const email = unique('race');
        await createUser(t.db, org, { email });
        const remote = workos.addUser({ email });
        const state = await freshState();
        const answers = await Promise.all(Array.from({ length: 10 }, () => callback({ code: workos.issueCode(remote.id, WORKOS_ORG), state })));
        assert.deepEqual(answers.map((a) => a.status).sort(), [200, 400, 400, 400, 400, 400, 400, 400, 400, 400]);
      });

      it('expires after 10 minutes', async () => {
        const email = unique('late');
        await createUser(t.db, org, { email });
        const state = await freshState();
        clock.advance(10 * 60_000 + 1000);
        try {
          const res = await callback({ code: signedInAtWorkos(email).code, state });
          assert.equal(res.status, 400, res.text);
          assert.equal(res.body.code, 'INVALID_STATE');
        } finally {
          clock.advance(-(10 * 60_000 + 1000));
        }
      });

      it('refuses a tampered, forged or foreign state', async () => {
        const state = await freshState();
        const [header, payload, signature] = state.split('.');
        const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
        const otherPayload = Buffer.from(JSON.stringify({ ...claims, org: otherOrg.id })).toString('base64url');
        const login = await post(`${t.url}/api/auth/login`, { email: (await createUser(t.db, org, { email: unique('tok') })).email, password: PASSWORD });
        for (const bad of [
          `${header}.${otherPayload}.${signature}`,
          `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`,
          `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`,
          login.body.token,
          'garbage',
        ]) {
          const res = await callback({ code: 'code_whatever', state: bad });
          assert.equal(res.status, 400, res.text);
          assert.equal(res.body.code, 'INVALID_STATE');
        }
        assert.equal(workos.requestsTo('POST', '/user_management/authenticate').length, 0);
      });
    });

    it('answers 400 INVALID_SSO_CODE for a code WorkOS does not know, or one already used', async () => {
      const email = unique('code');
      await createUser(t.db, org, { email });
      const unknown = await callback({ code: 'code_never_issued', state: await freshState() });
      assert.equal(unknown.status, 400, unknown.text);
      assert.equal(unknown.body.code, 'INVALID_SSO_CODE');

      const { code } = signedInAtWorkos(email);
      assert.equal((await callback({ code, state: await freshState() })).status, 200);
      const reused = await callback({ code, state: await freshState() });
      assert.equal(reused.status, 400, reused.text);
      assert.equal(reused.body.code, 'INVALID_SSO_CODE');
    });

    it("answers WorkOS's error redirect with 401 SSO_FAILED without calling WorkOS", async () => {
      const started = await authorize(org.id);
      const redirect = await fetch(started.body.url, { redirect: 'manual' }); // nobody signs in: access_denied
      const back = new URL(redirect.headers.get('location') as string);
      assert.equal(back.searchParams.get('error'), 'access_denied');
      const res = await callback(Object.fromEntries(back.searchParams));
      assert.equal(res.status, 401, res.text);
      assert.equal(res.body.code, 'SSO_FAILED');
      assert.match(res.body.message, /access_denied/);
      assert.equal(workos.requestsTo('POST', '/user_management/authenticate').length, 0);

      const odd = await callback({ error: '<script>', error_description: 'x', state: started.body.state });
      assert.equal(odd.status, 401);
      assert.doesNotMatch(odd.text, /<script>/);
    });

    it('answers 400 VALIDATION_FAILED for both or neither of code and error, and for unknown fields', async () => {
      const state = await freshState();
      for (const body of [{ state }, { state, code: 'c', error: 'access_denied' }, { state, code: 'c', extra: 1 }, { code: 'c' }, { state, code: 42 }]) {
        const res = await callback(body);
        assert.equal(res.status, 400, res.text);
        assert.equal(res.body.code, 'VALIDATION_FAILED');
      }
    });

    it('maps WorkOS demands at the code exchange (MFA) to 403 MFA_REQUIRED', async () => {
      const email = unique('mfa-sso');
      await createUser(t.db, org, { email });
      const { code } = signedInAtWorkos(email);
      workos.setScenario(email, 'mfa_challenge');
      const res = await callback({ code, state: await freshState() });
      assert.equal(res.status, 403, res.text);
      assert.equal(res.body.code, 'MFA_REQUIRED');
    });

    it('answers 503 IDENTITY_PROVIDER_UNAVAILABLE when WorkOS fails the code exchange', async () => {
      const email = unique('down-sso');
      await createUser(t.db, org, { email });
      const fail = { status: 500, body: { message: 'Internal Server Error' }, headers: { 'retry-after': '0' } };
      workos.enqueue(fail, fail);
      const res = await callback({ code: signedInAtWorkos(email).code, state: await freshState() });
      assert.equal(res.status, 503, res.text);
      assert.equal(res.body.code, 'IDENTITY_PROVIDER_UNAVAILABLE');
    });
  });
});

describe('SSO with an allow-list of redirect URIs (SSO_REDIRECT_URIS)', () => {
  let t: TestApp;
  let workos: WorkosStandIn;
  let org: Organization;

  before(async () => {
    workos = await WorkosStandIn.start();
    t = await startTestApp({ config: { workos: workos.config(), ssoRedirectUris: ['https://app.example/auth/callback'] } });
    org = await createOrganization(t.db, { slug: 'acme-list', workosOrganizationId: 'org_01LIST' });
  });
  after(async () => {
    await t.close();
    await workos.close();
  });

  it('accepts exactly the listed URIs and nothing else, not even localhost', async () => {
    const ask = (uri: string) => get(`${t.url}${AUTHORIZE}?organizationId=${org.id}&redirectUri=${encodeURIComponent(uri)}&browserNonce=${NONCE}`);
    assert.equal((await ask('https://app.example/auth/callback')).status, 200);
    for (const uri of ['http://localhost:5173/auth/callback', 'https://app.example/auth/callback/more', 'https://app.example/auth/callback?x=1', 'http://app.example/auth/callback']) {
      const res = await ask(uri);
      assert.equal(res.status, 400, uri);
      assert.equal(res.body.code, 'INVALID_REDIRECT_URI');
    }
  });
});

describe('SSO without WorkOS configured', () => {
  let t: TestApp;
  let org: Organization;

  before(async () => {
    t = await startTestApp();
    org = await createOrganization(t.db, { slug: 'acme-unconfigured', workosOrganizationId: 'org_01NONE' });
  });
  after(() => t.close());

  it('answers 503 IDENTITY_PROVIDER_UNAVAILABLE at authorize', async () => {
    const res = await get(`${t.url}${AUTHORIZE}?organizationId=${org.id}&redirectUri=${encodeURIComponent(REDIRECT)}&browserNonce=${NONCE}`);
    assert.equal(res.status, 503, res.text);
    assert.equal(res.body.code, 'IDENTITY_PROVIDER_UNAVAILABLE');
  });
});
