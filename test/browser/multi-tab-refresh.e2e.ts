import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { RefreshToken } from '../../src/sessions/refresh-token.entity';
import { Session } from '../../src/sessions/session.entity';
import { createOrganization, createUser } from '../support/factories';
import { newContext, screenshot, signIn, startDemo, SUITE_TIMEOUT_MS } from './support/browser';

/** Token life 1 h, idle 2 h: the renewal comes before any idle limit. */
const POLICY = { enabled: true, idleTimeoutMinutes: 120, warningTimeMinutes: 2, tokenExpiryHours: 1, passwordSilentRenewalEnabled: true };

describe('demo: two tabs renewing at the same moment', { timeout: SUITE_TIMEOUT_MS }, () => {
  let demo: Awaited<ReturnType<typeof startDemo>>;
  let users: string[] = [];
  before(async () => {
    demo = await startDemo();
    const org = await createOrganization(demo.t.db, { slug: 'initech', sessionPolicy: POLICY });
    users = await Promise.all(
      ['peter', 'samir', 'michael', 'milton', 'bob'].map(async (name) => (await createUser(demo.t.db, org, { email: `${name}@initech.example` })).email),
    );
  });
  after(() => demo.close());

  async function twoTabs(context: BrowserContext, email: string): Promise<[Page, Page]> {
    const first = await context.newPage();
    await first.goto(`${demo.t.url}/demo/`);
    await signIn(first, email);
    const second = await context.newPage();
    await second.goto(`${demo.t.url}/demo/`);
    await second.getByTestId('session').waitFor({ state: 'visible' });
    return [first, second];
  }

  /** What the server holds for the user's session: one rotation means two tokens, one of them live. */
  async function serverState(email: string) {
    const session = await demo.t.db
      .getRepository(Session)
      .createQueryBuilder('s')
      .innerJoin('users', 'u', 'u.id = s.user_id')
      .where('u.email = :email', { email })
      .getOneOrFail();
    const tokens = await demo.t.db.getRepository(RefreshToken).find({ where: { sessionId: session.id } });
    return { session, tokens: tokens.length, live: tokens.filter((t) => t.rotatedAt === null).length };
  }

  const storedRefreshToken = (page: Page) =>
    page.evaluate(() => (JSON.parse(localStorage.getItem('authgate:session') ?? 'null') as { refreshToken: string } | null)?.refreshToken);

  it('rotates once when both tabs\' timers fire together (Web Locks), and both stay signed in', async () => {
    const context = await newContext(demo.browser);
    await context.clock.install();
    const [first, second] = await twoTabs(context, users[0]);
    const before = await storedRefreshToken(first);

    await first.clock.fastForward('59:05'); // a minute before the 1-hour token expires, in both tabs
    await first.getByTestId('refresh-count').filter({ hasText: '1' }).waitFor();
    await second.getByTestId('refresh-count').filter({ hasText: '1' }).waitFor();

    const after = await storedRefreshToken(second);
    assert.notEqual(after, before);
    assert.equal(await storedRefreshToken(first), after);
    const state = await serverState(users[0]);
    assert.equal(state.session.endedAt, null, 'nobody was signed out');
    assert.deepEqual({ tokens: state.tokens, live: state.live }, { tokens: 2, live: 1 }, 'exactly one rotation');
    for (const page of [first, second]) {
      await page.evaluate(() => window.authgateDemo?.client.touch());
      assert.equal(await page.getByTestId('session').isVisible(), true);
    }
    await screenshot(second, '05-two-tabs-after-refresh');
    await context.close();
  });

  it('rotates once when both tabs call refresh() at the same instant', async () => {
    const context = await newContext(demo.browser);
    const [first, second] = await twoTabs(context, users[1]);
    const results = await Promise.all([first, second].map((p) => p.evaluate(() => window.authgateDemo?.client.refresh())));
    assert.deepEqual(results, [true, true]);
    const state = await serverState(users[1]);
    assert.equal(state.session.endedAt, null);
    assert.deepEqual({ tokens: state.tokens, live: state.live }, { tokens: 2, live: 1 });
    assert.equal(await storedRefreshToken(first), await storedRefreshToken(second));
    await context.close();
  });

  it('a tab whose generation count ran ahead still sees the other tab\'s rotation by its token, and does not rotate again', async () => {
    // Chromium hands a localStorage write to the other tabs' processes asynchronously, so two
    // tabs can count the same next generation (CI once saw three tokens in the test above).
    // Here the second tab's count is simply ahead of the first's, so the generation cannot tell it anything.
    const context = await newContext(demo.browser);
    const [first, second] = await twoTabs(context, users[4]);
    await second.waitForLoadState('networkidle');
    const original = await storedRefreshToken(second);
    await second.evaluate(() => {
      const client = window.authgateDemo?.client as unknown as { state: { generation: number } };
      client.state = { ...client.state, generation: client.state.generation + 5 };
    });
    assert.equal(await first.evaluate(() => window.authgateDemo?.client.refresh()), true);
    const rotated = await storedRefreshToken(first);
    assert.notEqual(rotated, original);
    assert.equal(await second.evaluate(() => window.authgateDemo?.client.refresh()), true);
    const state = await serverState(users[4]);
    assert.equal(state.session.endedAt, null);
    assert.deepEqual({ tokens: state.tokens, live: state.live }, { tokens: 2, live: 1 }, 'one rotation: the second tab took the first tab\'s');
    assert.equal(await storedRefreshToken(second), rotated);
    await context.close();
  });

  it('without Web Locks, the BroadcastChannel lease still lets only one tab rotate', async () => {
    const context = await newContext(demo.browser);
    await context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'locks', { get: () => undefined }));
    const [first, second] = await twoTabs(context, users[2]);
    assert.equal(await first.evaluate(() => 'locks' in navigator && navigator.locks !== undefined), false);
    const results = await Promise.all([first, second].map((p) => p.evaluate(() => window.authgateDemo?.client.refresh())));
    assert.deepEqual(results, [true, true]);
    const state = await serverState(users[2]);
    assert.equal(state.session.endedAt, null);
    assert.deepEqual({ tokens: state.tokens, live: state.live }, { tokens: 2, live: 1 });
    for (const page of [first, second]) {
      await page.evaluate(() => window.authgateDemo?.client.touch());
      assert.equal(await page.getByTestId('session').isVisible(), true);
    }
    await context.close();
  });

  it('when the lease is lost and both tabs send the same refresh token, the server\'s grace window keeps both signed in', async () => {
    const context = await newContext(demo.browser);
    // No Web Locks, and the lease's messages never arrive (a frozen tab, a lost message): the tabs
    // still share the session over BroadcastChannel, but nothing stops them refreshing together.
    await context.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'locks', { get: () => undefined });
      const proto = BroadcastChannel.prototype;
      const post = Object.getOwnPropertyDescriptor(proto, 'postMessage')?.value as (this: BroadcastChannel, message: unknown) => void;
      proto.postMessage = function (this: BroadcastChannel, message: unknown) {
        const type = (message as { type?: string } | null)?.type;
        if (type !== 'lease' && type !== 'release') post.call(this, message);
      };
    });
    const [first, second] = await twoTabs(context, users[3]);
    await second.waitForLoadState('networkidle'); // its GET /me is in, and the first tab took the result
    const original = await storedRefreshToken(first);

    // Hold the first refresh request until the second one arrives, so they truly race
    // (after 5 s both go anyway, and the assertions below say what happened).
    const tokens: string[] = [];
    const held: (() => void)[] = [];
    const releaseAll = () => {
      for (const release of held.splice(0)) release();
    };
    const deadline = setTimeout(releaseAll, 5_000);
    await context.route('**/api/auth/refresh', async (route) => {
      const token = (route.request().postDataJSON() as { refreshToken: string }).refreshToken;
      tokens.push(token);
      await new Promise<void>((resolve) => {
        held.push(() => void route.continue().then(resolve, resolve));
        if (tokens.length === 2) releaseAll();
      });
    });
    const results = await Promise.all([first, second].map((p) => p.evaluate(() => window.authgateDemo?.client.refresh())));
    assert.deepEqual(results, [true, true]);
    clearTimeout(deadline);
    assert.deepEqual(tokens, [original, original], 'both tabs presented the same token at once');

    const state = await serverState(users[3]);
    assert.equal(state.session.endedAt, null, 'the reuse within the grace window did not revoke the session');
    assert.deepEqual({ tokens: state.tokens, live: state.live }, { tokens: 2, live: 1 }, 'one chain: the late tab got the same successor');
    assert.equal(await storedRefreshToken(first), await storedRefreshToken(second));
    await context.unrouteAll();
    for (const page of [first, second]) {
      await page.evaluate(() => window.authgateDemo?.client.touch());
      assert.equal(await page.getByTestId('session').isVisible(), true);
    }
    await context.close();
  });
});
