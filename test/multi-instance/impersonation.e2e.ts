import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RejectionReason } from '../../src/impersonation/impersonation-audit';
import { AppProcess, startAppProcess } from '../support/app-process';
import { startTestApp, TestApp } from '../support/test-app';
import { assertApiError } from '../auth/auth-helpers';
import { signIn } from '../support/sign-in';
import { auditRows, createOrg, Org, redeem, ticketFor } from '../impersonation/fixture';
import { tally } from '../throttle/throttle-harness';

const REDEMPTIONS = 50;

/**
 * Issue #4's must-show: single use is enforced by the database (one conditional
 * UPDATE), so it holds across instances, not only inside one process.
 */
describe('impersonation single use across two instances (two processes, one database)', () => {
  let t: TestApp;
  let second: AppProcess;
  let o: Org;

  before(async () => {
    t = await startTestApp();
    second = await startAppProcess(t.config);
    o = await createOrg(t.db);
  });
  after(async () => {
    await second.close();
    await t.close();
  });

  it(`gives exactly one 200 for ${REDEMPTIONS} simultaneous redemptions of one token spread over both, and one redemption row`, async () => {
    const admin = await signIn(t, o.admin.email);
    const token = await ticketFor(second.url, admin.token, o.member.id, 'cross-instance race');
    const answers = await Promise.all(
      Array.from({ length: REDEMPTIONS }, (_, i) => redeem(i % 2 === 0 ? t.url : second.url, o.member.email, token)),
    );
    // Refusals are charged to the login budget of the email and client (#14 item 4): past it, 429.
    const counts = tally(answers);
    assert.equal(counts[200], 1, JSON.stringify(counts));
    assert.equal((counts[401] ?? 0) + (counts[429] ?? 0), REDEMPTIONS - 1, JSON.stringify(counts));
    for (const refused of answers.filter((a) => a.status === 401)) assertApiError(refused, 401, 'IMPERSONATION_TOKEN_INVALID');
    for (const refused of answers.filter((a) => a.status === 429)) assertApiError(refused, 429, 'TOO_MANY_ATTEMPTS');

    const redeemed = await auditRows(t, 'impersonation.redeemed');
    assert.equal(redeemed.length, 1, 'one redemption row');
    const winner = answers.find((a) => a.status === 200);
    const [{ n }] = await t.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM sessions WHERE user_id = $1 AND impersonator_id IS NOT NULL`,
      [o.member.id],
    );
    assert.equal(n, 1, 'one impersonated session');
    assert.ok(winner);
    const rejected = await auditRows(t, 'impersonation.rejected');
    assert.equal(rejected.length, counts[401] ?? 0, 'every refused redemption that was checked is audited');
    assert.deepEqual(new Set(rejected.map((r) => r.details?.why)), new Set([RejectionReason.AlreadyRedeemed]), 'and refused as already redeemed');
    const served = { first: answers.filter((_, i) => i % 2 === 0).length, second: answers.filter((_, i) => i % 2 === 1).length };
    console.log(`# impersonation: ${REDEMPTIONS} redemptions of one token over 2 instances (${served.first}/${served.second}) → ${JSON.stringify(tally(answers))}, ${redeemed.length} redemption row, ${rejected.length} rejection rows`);
  });
});
