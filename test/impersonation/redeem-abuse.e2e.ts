import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PASSWORD } from '../support/factories';
import { get, post } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { signIn } from '../support/sign-in';
import { auditRows, createOrg, Org, redeem, ticketFor } from './fixture';

const tally = (statuses: number[]): Record<number, number> =>
  statuses.reduce<Record<number, number>>((acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {});

/**
 * Issue #14 item 4: impersonation-token logins skipped the throttle. 2,000 garbage tokens
 * in 8.7 s wrote 2,000 audit rows no admin can list and nothing deletes, and one leaked,
 * spent token replayed 500 times became the organization's newest 100 audit entries,
 * each naming the issuing admin as their actor.
 */
describe('impersonation-token logins are throttled and cannot flood the audit', () => {
  let t: TestApp;
  let acme: Org;
  let adminToken: string;
  before(async () => {
    t = await startTestApp({ config: { trustProxy: ['127.0.0.1'] } });
    acme = await createOrg(t.db, 'acme');
    adminToken = (await signIn(t, acme.admin.email)).token;
  });
  after(() => t?.close());

  /** The account+IP budget: 5 checks free, then waits of 1, 2, 4 … s; a fast loop gets a check or two more as the waits pass. */
  const withinBudget = (statuses: number[], total: number) => {
    const counts = tally(statuses);
    assert.ok((counts[401] ?? 0) >= 5 && (counts[401] ?? 0) <= 7, JSON.stringify(counts));
    assert.equal((counts[401] ?? 0) + (counts[429] ?? 0), total, JSON.stringify(counts));
    return counts[401] ?? 0;
  };

  it('answers 429 after the login budget: 60 garbage tokens from one client run at most 7 checks, and write no audit row', async () => {
    const before = (await auditRows(t)).length;
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) {
      statuses.push((await redeem(t, acme.member.email, `garbage.${i}.token`, { 'x-forwarded-for': '203.0.113.10' })).status);
    }
    withinBudget(statuses, 60);
    assert.equal((await auditRows(t)).length, before, 'not one row for unauthenticated garbage');
  });

  it('charges a replayed, spent ticket to the same budget, and records each refusal as the presenter\'s, never the admin\'s', async () => {
    const token = await ticketFor(t, adminToken, acme.member2.id);
    assert.equal((await redeem(t, acme.member2.email, token)).status, 200, 'redeemed once, by the support agent');
    const thief = { 'x-forwarded-for': '203.0.113.66', 'user-agent': 'replay-bot/1.0' };
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await redeem(t, acme.member2.email, token, thief)).status);
    const checked = withinBudget(statuses, 40);

    const rejected = (await auditRows(t, 'impersonation.rejected')).filter((r) => r.targetUserId === acme.member2.id);
    assert.equal(rejected.length, checked, 'one row per check the budget allowed, not per request');
    for (const row of rejected) {
      assert.equal(row.actorUserId, null, 'the admin did not do this');
      assert.equal(row.ip, '203.0.113.66');
      assert.equal(row.userAgent, 'replay-bot/1.0');
      assert.equal(row.details.why, 'already_redeemed');
      assert.equal(row.details.impersonatorId, acme.admin.id);
    }
    // What the organization's admins see: the refusals name no actor; the admin's own acts are the issue and the redemption.
    const trail = await get(`${t.url}/api/auth/impersonations?limit=100`, { token: adminToken });
    assert.equal(trail.status, 200, trail.text);
    const refusals = trail.body.items.filter((e: { type: string }) => e.type === 'impersonation.rejected');
    assert.equal(refusals.length, checked);
    for (const e of refusals) {
      assert.equal(e.actor, null);
      assert.equal(e.ip, '203.0.113.66');
      assert.equal(e.userAgent, 'replay-bot/1.0');
    }
    assert.ok(trail.body.items.some((e: { type: string; actor: { id: string } | null }) => e.type === 'impersonation.redeemed' && e.actor?.id === acme.admin.id));
  });

  it('shares the budget with password logins of the same email: refused tickets count, a password guess then meets 429', async () => {
    const client = { 'x-forwarded-for': '203.0.113.99' };
    for (let i = 0; i < 5; i++) assert.equal((await redeem(t, acme.otherAdmin.email, `junk-${i}`, client)).status, 401);
    const guess = await post(`${t.url}/api/auth/login`, { email: acme.otherAdmin.email, password: 'a-wrong-guess' }, { headers: client });
    assert.equal(guess.status, 429, guess.text);
    assert.ok(Number(guess.headers.get('retry-after')) >= 1);
    // Another client with the right password is not locked out.
    assert.equal((await post(`${t.url}/api/auth/login`, { email: acme.otherAdmin.email, password: PASSWORD }, { headers: { 'x-forwarded-for': '203.0.113.100' } })).status, 200);
  });
});
