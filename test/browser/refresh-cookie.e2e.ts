import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { createOrganization, createUser } from '../support/factories';
import { DEMO_POLICY, newContext, screenshot, seedDemo, signIn, startDemo, SUITE_TIMEOUT_MS } from './support/browser';

const COOKIE = '__Secure-authgate-refresh';

/**
 * The client's cookie mode in a real Chromium, against a server with REFRESH_TOKEN_COOKIE:
 * the refresh token lives only in the httpOnly cookie, the access token only in memory.
 */
for (const inBody of [true, false]) {
  describe(`demo: the refresh token in an httpOnly cookie, nothing in storage (REFRESH_TOKEN_IN_BODY=${inBody})`, { timeout: SUITE_TIMEOUT_MS }, () => {
    let demo: Awaited<ReturnType<typeof startDemo>>;
    const email = 'cookie@initech.example';
    before(async () => {
      demo = await startDemo({ config: { refreshTokenCookie: { secure: true, inBody } } });
      const org = await createOrganization(demo.t.db, { slug: 'initech', sessionPolicy: DEMO_POLICY });
      await createUser(demo.t.db, org, { email });
    });
    after(() => demo.close());

    const demoUrl = () => `${demo.t.url}/demo/?refresh-cookie`;

    async function refreshCookie(context: BrowserContext) {
      const cookies = (await context.cookies()).filter((c) => c.name === COOKIE);
      assert.ok(cookies.length <= 1, JSON.stringify(cookies));
      return cookies[0];
    }

    /** The session's refresh tokens on the server: how many, and the hash of the one still live. */
    async function serverChain(sessionId: string) {
      const rows = await demo.t.db.query<{ token_hash: Buffer; rotated_at: Date | null }[]>(
        `SELECT token_hash, rotated_at FROM refresh_tokens WHERE session_id = $1`,
        [sessionId],
      );
      const live = rows.filter((r) => r.rotated_at === null);
      return { tokens: rows.length, live: live.length, liveHash: live[0]?.token_hash.toString('hex') ?? null };
    }
    const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

    /** Everything the page's scripts can read: both storages, whole, and document.cookie. */
    const readable = (page: Page) =>
      page.evaluate(() => ({
        local: Object.fromEntries(Object.keys(localStorage).map((k) => [k, localStorage.getItem(k)])),
        session: Object.fromEntries(Object.keys(sessionStorage).map((k) => [k, sessionStorage.getItem(k)])),
        cookie: document.cookie,
      }));

    async function assertNothingReadable(page: Page, secrets: string[]): Promise<void> {
      const seen = await readable(page);
      const text = JSON.stringify(seen);
      for (const secret of secrets) assert.ok(!text.includes(secret), `a token is readable by scripts: ${text}`);
      assert.equal(seen.cookie.includes(COOKIE), false, 'document.cookie shows no refresh cookie');
      assert.equal(Object.keys(seen.local).some((k) => k.startsWith('authgate:')), false, `localStorage: ${text}`);
      assert.deepEqual(seen.session, {});
    }

    const endReasonOf = async (sessionId: string): Promise<string | null> =>
      (await demo.t.db.query<{ end_reason: string | null }[]>(`SELECT end_reason FROM sessions WHERE id = $1`, [sessionId]))[0].end_reason;

    /** Waits for a condition that follows a request already sent (bounded: the suite's timeout). */
    async function eventually(condition: () => Promise<boolean>): Promise<void> {
      while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 50));
    }

    const sessionIdOf = (page: Page) => page.evaluate(() => window.authgateDemo?.client.snapshot().sessionId ?? null);
    const accessTokenOf = (page: Page) => page.evaluate(() => window.authgateDemo?.client.token ?? null);

    it('signs in, refreshes, survives a reload, shares the session with a second tab, and signs out everywhere', async () => {
      const context = await newContext(demo.browser);
      const first = await context.newPage();
      await first.goto(demoUrl());
      await signIn(first, email);
      const sessionId = await sessionIdOf(first);
      assert.ok(sessionId);

      // The cookie: httpOnly, Secure, SameSite=Strict, only for /api/auth, and the session's live token.
      const cookie = await refreshCookie(context);
      assert.ok(cookie, 'the refresh cookie is set');
      assert.deepEqual(
        { httpOnly: cookie.httpOnly, secure: cookie.secure, sameSite: cookie.sameSite, path: cookie.path },
        { httpOnly: true, secure: true, sameSite: 'Strict', path: '/api/auth' },
      );
      assert.match(cookie.value, /^rt_[0-9a-f]{32}$/);
      assert.equal((await serverChain(sessionId)).liveHash, sha256(cookie.value));
      const firstToken = await accessTokenOf(first);
      assert.ok(firstToken);
      await assertNothingReadable(first, [cookie.value, firstToken]);

      // A refresh goes by the cookie: rotated once, the new token in the cookie only.
      assert.equal(await first.evaluate(() => window.authgateDemo?.client.refresh()), true);
      const rotated = await refreshCookie(context);
      assert.notEqual(rotated?.value, cookie.value);
      assert.deepEqual(await serverChain(sessionId), { tokens: 2, live: 1, liveHash: sha256(rotated?.value ?? '') });
      // (The new access token may equal the old one, byte for byte, within the same second: same claims, same iat.)
      assert.ok(await first.evaluate(async () => (await window.authgateDemo?.client.authorized('GET', '/api/auth/me')) !== undefined));

      // A reload keeps nothing but the cookie, and is signed in again by it: the same session.
      await first.reload();
      await first.getByTestId('session').waitFor({ state: 'visible' });
      assert.equal(await sessionIdOf(first), sessionId);
      const afterReload = await refreshCookie(context);
      assert.deepEqual(await serverChain(sessionId), { tokens: 3, live: 1, liveHash: sha256(afterReload?.value ?? '') });
      await assertNothingReadable(first, [cookie.value, rotated?.value ?? '', afterReload?.value ?? '', (await accessTokenOf(first)) ?? '']);

      // A second tab joins the same session, and still nothing is in storage.
      const second = await context.newPage();
      await second.goto(demoUrl());
      await second.getByTestId('session').waitFor({ state: 'visible' });
      assert.equal(await sessionIdOf(second), sessionId);
      const chain = await serverChain(sessionId);
      assert.equal(chain.live, 1, 'one chain for both tabs');
      assert.equal(await second.evaluate(async () => (await window.authgateDemo?.client.authorized('GET', '/api/auth/me')) !== undefined), true);
      const liveCookie = (await refreshCookie(context))?.value ?? '';
      await assertNothingReadable(second, [liveCookie, (await accessTokenOf(second)) ?? '']);
      await screenshot(second, '06-cookie-mode-second-tab');

      // What a script injected in the page gets by calling refresh itself: the cookie goes along, and the body
      // names the new token only while the bodies keep their shape (client/README.md, "What cookie mode does not stop").
      const probe = await second.evaluate(async () => {
        const res = await fetch('/api/auth/refresh', { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json' }, body: '{}' });
        return { status: res.status, body: (await res.json()) as { refreshToken?: string } };
      });
      assert.equal(probe.status, 200);
      const probed = (await refreshCookie(context))?.value;
      if (inBody) assert.equal(probe.body.refreshToken, probed);
      else assert.equal('refreshToken' in probe.body, false, 'no script ever sees the refresh token');
      assert.equal(await second.evaluate(() => window.authgateDemo?.client.refresh()), true, 'the client follows the cookie, whoever rotated it');

      // Signing out in one tab signs out both, ends the session on the server and removes the cookie.
      await second.getByTestId('signout').click();
      await second.getByTestId('signin').waitFor({ state: 'visible' });
      await first.getByTestId('signin').waitFor({ state: 'visible' });
      // The tabs sign out at once; the server's answer follows.
      await eventually(async () => (await endReasonOf(sessionId)) !== null);
      assert.equal(await endReasonOf(sessionId), 'logout');
      await eventually(async () => (await refreshCookie(context)) === undefined);
      await first.reload();
      await first.getByTestId('signin').waitFor({ state: 'visible' });
      assert.equal(await sessionIdOf(first), null, 'and a reload stays signed out');
      await context.close();
    });
  });
}

describe('demo: impersonation in cookie mode keeps the cookie the admin\'s', { timeout: SUITE_TIMEOUT_MS }, () => {
  let demo: Awaited<ReturnType<typeof startDemo>>;
  let fixture: Awaited<ReturnType<typeof seedDemo>>;
  before(async () => {
    demo = await startDemo({ config: { refreshTokenCookie: { secure: true } } });
    fixture = await seedDemo(demo.t);
  });
  after(() => demo.close());

  const liveHashOf = async (userId: string, method: string) =>
    (
      await demo.t.db.query<{ hash: string; ended: Date | null }[]>(
        `SELECT encode(rt.token_hash, 'hex') AS hash, s.ended_at AS ended FROM refresh_tokens rt JOIN sessions s ON s.id = rt.session_id
          WHERE s.user_id = $1 AND s.method = $2 AND rt.rotated_at IS NULL ORDER BY s.created_at DESC LIMIT 1`,
        [userId, method],
      )
    )[0];
  const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

  it('impersonates, renews the impersonated session without touching the cookie, and renews the admin by it afterwards', async () => {
    const context = await newContext(demo.browser);
    const page = await context.newPage();
    await page.goto(`${demo.t.url}/demo/?refresh-cookie`);
    await signIn(page, fixture.admin.email);
    const cookieValue = async () => (await context.cookies()).find((c) => c.name === COOKIE)?.value ?? null;
    const adminCookie = await cookieValue();
    assert.ok(adminCookie);

    const started = await page.evaluate((id) => window.authgateDemo?.client.startImpersonation(id, { reason: 'cookie mode' }).then(() => true), fixture.member.id);
    assert.equal(started, true);
    await page.getByTestId('impersonation-banner').waitFor({ state: 'visible' });
    assert.equal(await cookieValue(), adminCookie, 'the impersonation login set no cookie');
    assert.equal((await liveHashOf(fixture.admin.id, 'password'))?.hash, sha256(adminCookie));

    // The impersonated session renews with its own token, in memory; the cookie stays the admin's.
    const before = (await liveHashOf(fixture.member.id, 'impersonation'))?.hash;
    assert.equal(await page.evaluate(() => window.authgateDemo?.client.refresh()), true);
    assert.notEqual((await liveHashOf(fixture.member.id, 'impersonation'))?.hash, before);
    assert.equal(await cookieValue(), adminCookie);
    const stored = await page.evaluate(() => JSON.stringify([{ ...localStorage }, { ...sessionStorage }]));
    assert.ok(!stored.includes('rt_') && !stored.includes('eyJ'), `nothing stored: ${stored}`);

    // Ending it returns to the admin, whose session renews by the cookie as before.
    await page.getByTestId('end-impersonation').click();
    await page.getByTestId('impersonation-banner').waitFor({ state: 'hidden' });
    await page.getByTestId('user').filter({ hasText: 'Olga Ops <ops@acme.example>' }).waitFor();
    assert.equal(await cookieValue(), adminCookie, 'ending the impersonation cleared no cookie');
    assert.equal(await page.evaluate(() => window.authgateDemo?.client.refresh()), true);
    const renewed = await cookieValue();
    assert.ok(renewed && renewed !== adminCookie);
    const admin = await liveHashOf(fixture.admin.id, 'password');
    assert.deepEqual(admin, { hash: sha256(renewed), ended: null });
    await context.close();
  });
});
