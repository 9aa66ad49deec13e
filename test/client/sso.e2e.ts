import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, afterEach, before, describe, it } from 'node:test';
import { AuthApiError, AuthClient } from '../../client/src';
import type { Organization } from '../../src/identity/organizations/organization.entity';
import { createOrganization, createUser } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';
import { WorkosStandIn } from '../support/workos-stand-in';

const REDIRECT = 'http://localhost:5173/auth/callback';
const WORKOS_ORG = 'org_01CLIENT';
const NONCE_KEY = 'authgate.sso-nonce';

/** One tab's sessionStorage. */
class TabStorage {
  readonly items = new Map<string, string>();
  getItem = (key: string) => this.items.get(key) ?? null;
  setItem = (key: string, value: string) => void this.items.set(key, value);
  removeItem = (key: string) => void this.items.delete(key);
}

/**
 * The client's part of binding an SSO sign-in to the browser that started it: each
 * ssoAuthorizeUrl() keeps a fresh browserNonce in the tab's sessionStorage and sends it,
 * completeSso() presents it once; a code and state from another browser are refused.
 */
describe('the client: SSO bound to the tab that started it', () => {
  let t: TestApp;
  let workos: WorkosStandIn;
  let org: Organization;
  const clients: AuthClient[] = [];

  /** A browser tab in Node: its own sessionStorage, no shared storage, other tabs or input. */
  const newTab = (sessionStorage = new TabStorage()) => {
    const auth = new AuthClient({ baseUrl: t.url, storage: null, sessionStorage, broadcastChannel: null, locks: null, activityTarget: null }).start();
    clients.push(auth);
    return { auth, sessionStorage };
  };

  /** Signs `email` in at WorkOS through the URL the client got; the code and state WorkOS puts on the redirect URI. */
  async function atWorkos(url: string, email: string): Promise<{ code: string; state: string }> {
    workos.signInNextSsoAs(workos.addUser({ email, emailVerified: true }).id);
    const back = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location') as string);
    return { code: back.searchParams.get('code') as string, state: back.searchParams.get('state') as string };
  }

  before(async () => {
    workos = await WorkosStandIn.start();
    t = await startTestApp({ config: { workos: workos.config() } });
    org = await createOrganization(t.db, { slug: 'acme-client-sso', workosOrganizationId: WORKOS_ORG });
  });
  afterEach(() => clients.splice(0).forEach((c) => c.stop()));
  after(async () => {
    await t.close();
    await workos.close();
  });

  it('keeps a fresh nonce in sessionStorage, sends it at both ends and forgets it once signed in', async () => {
    const user = await createUser(t.db, org, { email: 'sso-tab@acme.example' });
    const { auth, sessionStorage } = newTab();
    const url = await auth.ssoAuthorizeUrl({ organizationId: org.id, redirectUri: REDIRECT });
    const nonce = sessionStorage.getItem(NONCE_KEY);
    assert.match(nonce ?? '', /^[A-Za-z0-9_-]{43}$/, '32 random bytes, base64url');
    const state = new URL(url).searchParams.get('state') as string;
    const claims = JSON.parse(Buffer.from(state.split('.')[1], 'base64url').toString());
    assert.equal(claims.bnh, createHash('sha256').update(nonce as string).digest('base64url'), 'the state is bound to the stored nonce');

    const answer = await atWorkos(url, 'sso-tab@acme.example');
    // After the round trip to WorkOS the page is a new one: a new client, the same tab's sessionStorage.
    const { auth: back } = newTab(sessionStorage);
    const snapshot = await back.completeSso(answer);
    assert.equal(snapshot.status, 'signed-in');
    assert.equal(snapshot.user?.id, user.id);
    assert.equal(sessionStorage.getItem(NONCE_KEY), null, 'used once, then forgotten');

    const second = await auth.ssoAuthorizeUrl({ organizationId: org.id, redirectUri: REDIRECT });
    assert.notEqual(sessionStorage.getItem(NONCE_KEY), nonce, 'every sign-in gets a nonce of its own');
    assert.ok(second);
  });

  it("refuses an attacker's code and state in the victim's tab (SSO_BROWSER_MISMATCH): the victim is not signed in as the attacker", async () => {
    const attacker = await createUser(t.db, org, { email: 'mallory@acme.example' });
    const { auth: attackerTab } = newTab();
    const planted = await atWorkos(await attackerTab.ssoAuthorizeUrl({ organizationId: org.id, redirectUri: REDIRECT }), 'mallory@acme.example');

    // A victim who started a sign-in of their own, and one who started none, both land on the planted redirect.
    const { auth: started } = newTab();
    await started.ssoAuthorizeUrl({ organizationId: org.id, redirectUri: REDIRECT });
    const { auth: never } = newTab();
    for (const victim of [started, never]) {
      await assert.rejects(victim.completeSso(planted), (err: unknown) => err instanceof AuthApiError && err.status === 400 && err.code === 'SSO_BROWSER_MISMATCH');
      assert.equal(victim.snapshot().status, 'signed-out');
    }
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM sessions WHERE user_id = $1`, [attacker.id]);
    assert.equal(n, 0, 'no session of the attacker was opened');
  });
});
