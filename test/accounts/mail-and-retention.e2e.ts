import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MetricsService } from '../../src/platform/metrics/metrics.service';
import { PrunerService } from '../../src/platform/retention/pruner.service';
import { createOrganization, createUser } from '../support/factories';
import { FakeClock } from '../support/fake-clock';
import { post } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';

const DAY = 86_400_000;

const emailsCounted = async (t: TestApp, outcome: string): Promise<number> => {
  const { body } = await t.app.get(MetricsService).scrape();
  const line = body.split('\n').find((l) => l.startsWith(`authgate_emails_total{kind="password_reset",outcome="${outcome}"}`));
  return line ? Number(line.split(' ').pop()) : 0;
};

const until = async (condition: () => Promise<boolean> | boolean, timeoutMs = 20_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe('a lost email, and the retention of used links', () => {
  const clock = new FakeClock(Date.parse('2031-03-01T12:00:00Z'));
  let t: TestApp;

  before(async () => {
    // Nothing listens on port 1: every attempt is refused.
    t = await startTestApp({ clock, captureLogs: true, config: { mail: { smtpUrl: 'smtp://127.0.0.1:1', retryDelaysMs: [20, 20] } } });
  });
  after(() => t.close());

  it('a mail server that never takes the email: the request still answers 202, then one error log line and a failed metric, no token logged', async () => {
    const org = await createOrganization(t.db);
    const user = await createUser(t.db, org, { email: 'unlucky@acme.example' });
    const res = await post(`${t.url}/api/auth/password/forgot`, { email: user.email });
    assert.equal(res.status, 202);
    await until(async () => (await emailsCounted(t, 'failed')) === 1);
    assert.equal(await emailsCounted(t, 'sent'), 0);
    const lost = t.logs.map((l) => JSON.parse(l) as { level: number; msg?: string; mail?: { kind: string; attempts: number } }).filter((l) => l.msg?.startsWith('email lost'));
    assert.equal(lost.length, 1);
    assert.equal(lost[0].level, 50, 'an error line');
    assert.deepEqual({ kind: lost[0].mail?.kind, attempts: lost[0].mail?.attempts }, { kind: 'password_reset', attempts: 3 });
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM account_tokens WHERE user_id = $1`, [user.id]);
    assert.equal(n, 1, 'the link exists; the user can ask again');
    assert.ok(!t.logs.some((l) => /token=/.test(l)), 'no link in any log line');
  });

  it('the pruner deletes links used or expired more than TOKEN_RETENTION_DAYS ago, and keeps the others', async () => {
    const org = await createOrganization(t.db);
    const user = await createUser(t.db, org);
    const now = clock.nowMs();
    const insert = (label: string, expiresIn: number, usedAgo: number | null) =>
      t.db.query(`INSERT INTO account_tokens (user_id, kind, token_hash, created_at, expires_at, used_at) VALUES ($1, 'password_reset', $2, $3, $4, $5)`, [
        user.id,
        Buffer.from(label),
        new Date(now - 30 * DAY),
        new Date(now + expiresIn * DAY),
        usedAgo === null ? null : new Date(now - usedAgo * DAY),
      ]);
    await insert('live', 1, null);
    await insert('used 6 days ago', 1, 6);
    await insert('used 8 days ago', 1, 8);
    await insert('expired 8 days ago', -8, null);
    await insert('expired 6 days ago', -6, null);
    await t.app.get(PrunerService).prune();
    const left = (await t.db.query<{ h: Buffer }[]>(`SELECT token_hash AS h FROM account_tokens WHERE user_id = $1`, [user.id])).map((r) => r.h.toString()).sort();
    assert.deepEqual(left, ['expired 6 days ago', 'live', 'used 6 days ago']);
  });
});
