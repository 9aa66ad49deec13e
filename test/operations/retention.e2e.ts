import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { MetricsService } from '../../src/platform/metrics/metrics.service';
import { PRUNE_LOCK_KEY, PrunerService } from '../../src/platform/retention/pruner.service';
import { createOrganization, createUser } from '../support/factories';
import { FakeClock } from '../support/fake-clock';
import { startTestApp, TestApp } from '../support/test-app';

const NOW = Date.parse('2032-01-15T12:00:00Z');
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW - days * DAY);

/**
 * The contract's retention on a real PostgreSQL: which rows remain after a run. Sessions
 * 30 days after their end or expiry (with their refresh tokens), single-use tokens 7 days
 * after expiry, audit events after 400 days, a live session keeping its rotated tokens.
 */
describe('retention: the pruner deletes what the contract says, and nothing else', () => {
  const clock = new FakeClock(NOW);
  let t: TestApp;
  let userId: string;
  let orgId: string;

  async function session(fields: { endedDaysAgo?: number; expiresInDays: number; tokens: number; label: string }): Promise<string> {
    const id = randomUUID();
    await t.db.query(
      `INSERT INTO sessions (id, user_id, organization_id, method, created_at, last_activity_at, expires_at, ended_at, end_reason, user_agent)
       VALUES ($1, $2, $3, 'password', $4, $4, $5, $6, $7, $8)`,
      [id, userId, orgId, ago(60), new Date(NOW + fields.expiresInDays * DAY), fields.endedDaysAgo === undefined ? null : ago(fields.endedDaysAgo), fields.endedDaysAgo === undefined ? null : 'logout', fields.label],
    );
    // A chain: every token but the last rotated.
    for (let i = 0; i < fields.tokens; i++) {
      await t.db.query(`INSERT INTO refresh_tokens (session_id, token_hash, created_at, rotated_at) VALUES ($1, $2, $3, $4)`, [
        id,
        Buffer.from(randomUUID()),
        ago(60 - i),
        i < fields.tokens - 1 ? ago(59 - i) : null,
      ]);
    }
    return id;
  }
  const remaining = async (sql: string, params: unknown[] = []) => (await t.db.query<{ label: string }[]>(sql, params)).map((r) => r.label).sort();

  before(async () => {
    t = await startTestApp({ clock, captureLogs: true, config: { retention: { sessionDays: 30, tokenDays: 7, auditDays: 400, batchSize: 3 } } });
    const org = await createOrganization(t.db);
    orgId = org.id;
    userId = (await createUser(t.db, org)).id;
  });
  after(() => t.close());

  it('deletes ended and expired sessions past the retention with all their refresh tokens; keeps live ones and their rotated tokens', async () => {
    await session({ label: 'live, long chain', expiresInDays: 10, tokens: 6 });
    await session({ label: 'ended 29 days ago', endedDaysAgo: 29, expiresInDays: 10, tokens: 2 });
    for (let i = 0; i < 7; i++) await session({ label: `ended 31 days ago #${i}`, endedDaysAgo: 31, expiresInDays: 10, tokens: 3 });
    await session({ label: 'expired 31 days ago', expiresInDays: -31, tokens: 2 });
    await session({ label: 'expired 29 days ago', expiresInDays: -29, tokens: 2 });

    const ticket = (jti: string, expiredDaysAgo: number, redeemed: boolean) =>
      t.db.query(
        `INSERT INTO impersonation_tickets (jti, organization_id, admin_id, target_user_id, reason, issued_at, expires_at, redeemed_at)
         VALUES ($1, $2, $3, $3, $4, $5, $5, $6)`,
        [jti, orgId, userId, `expired ${expiredDaysAgo}`, ago(expiredDaysAgo), redeemed ? ago(expiredDaysAgo) : null],
      );
    await ticket(randomUUID(), 8, true);
    await ticket(randomUUID(), 9, false);
    await ticket(randomUUID(), 6, true);
    await ticket(randomUUID(), -0.01, false); // still redeemable
    for (const [nonce, days] of [['old-state', 8], ['recent-state', 6], ['live-state', -0.01]] as const) {
      await t.db.query(`INSERT INTO consumed_nonces (nonce, purpose, expires_at) VALUES ($1, 'sso_state', $2)`, [nonce, ago(days)]);
    }
    for (const days of [401, 500, 399, 1]) {
      await t.db.query(`INSERT INTO audit_events (occurred_at, type, organization_id, reason) VALUES ($1, 'test.event', $2, $3)`, [ago(days), orgId, `${days} days`]);
    }

    const report = await t.app.get(PrunerService).prune();
    assert.equal(report.ran, true);
    // account_tokens and mfa_login_challenges: the accounts and MFA features' rules, registered
    // with the pruner by their modules; this test makes no rows of theirs (test/accounts/mail-and-retention.e2e.ts has the accounts' rows).
    assert.deepEqual(report.deleted, {
      sessions: 8,
      impersonation_tickets: 2,
      consumed_nonces: 1,
      audit_events: 2,
      account_tokens: 0,
      mfa_login_challenges: 0,
    });

    assert.deepEqual(await remaining(`SELECT user_agent AS label FROM sessions`), ['ended 29 days ago', 'expired 29 days ago', 'live, long chain']);
    const tokens = await t.db.query<{ label: string; n: number; rotated: number }[]>(
      `SELECT s.user_agent AS label, count(*)::int AS n, count(r.rotated_at)::int AS rotated FROM refresh_tokens r JOIN sessions s ON s.id = r.session_id GROUP BY 1 ORDER BY 1`,
    );
    assert.deepEqual(tokens, [
      { label: 'ended 29 days ago', n: 2, rotated: 1 },
      { label: 'expired 29 days ago', n: 2, rotated: 1 },
      { label: 'live, long chain', n: 6, rotated: 5 },
    ]);
    const [{ orphans }] = await t.db.query<{ orphans: number }[]>(`SELECT count(*)::int AS orphans FROM refresh_tokens WHERE session_id NOT IN (SELECT id FROM sessions)`);
    assert.equal(orphans, 0, 'no refresh token outlives its session');
    assert.deepEqual(await remaining(`SELECT reason AS label FROM impersonation_tickets`), ['expired -0.01', 'expired 6']);
    assert.deepEqual(await remaining(`SELECT nonce AS label FROM consumed_nonces`), ['live-state', 'recent-state']);
    assert.deepEqual(await remaining(`SELECT reason AS label FROM audit_events WHERE type = 'test.event'`), ['1 days', '399 days']);

    const { body } = await t.app.get(MetricsService).scrape();
    assert.match(body, /authgate_pruned_rows_total\{table="sessions"\} 8/);
    assert.match(body, /authgate_pruned_rows_total\{table="audit_events"\} 2/);
    assert.match(body, /authgate_prune_runs_total\{outcome="done"\} 1/);
    const line = t.logs.map((l) => JSON.parse(l) as { msg?: string; deleted?: Record<string, number> }).find((l) => l.msg === 'pruned');
    assert.deepEqual(line?.deleted, report.deleted, 'the counts are in the log');

    const again = await t.app.get(PrunerService).prune();
    assert.deepEqual(again.deleted, { sessions: 0, impersonation_tickets: 0, consumed_nonces: 0, audit_events: 0, account_tokens: 0, mfa_login_challenges: 0 }, 'a second run finds nothing');
  });

  it('skips the run while another instance holds the advisory lock, and deletes nothing', async () => {
    await session({ label: 'ended 40 days ago', endedDaysAgo: 40, expiresInDays: 10, tokens: 1 });
    const other = new Client({ connectionString: t.config.database.url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT pg_advisory_xact_lock($1)', [PRUNE_LOCK_KEY]);
      const report = await t.app.get(PrunerService).prune();
      assert.equal(report.ran, false);
      assert.deepEqual(await remaining(`SELECT user_agent AS label FROM sessions WHERE user_agent = 'ended 40 days ago'`), ['ended 40 days ago']);
      await other.query('COMMIT');
    } finally {
      await other.end();
    }
    const report = await t.app.get(PrunerService).prune();
    assert.equal(report.ran, true);
    assert.equal(report.deleted.sessions, 1);
  });

  it('keeps audit events forever with AUDIT_RETENTION_DAYS=0', async () => {
    await t.db.query(`INSERT INTO audit_events (occurred_at, type, organization_id, reason) VALUES ($1, 'test.kept', $2, 'ancient')`, [ago(5000), orgId]);
    const keeper = await startTestApp({ clock, databaseUrl: t.config.database.url, config: { retention: { auditDays: 0 } } });
    try {
      const report = await keeper.app.get(PrunerService).prune();
      assert.equal(report.deleted.audit_events, undefined, 'the audit rule did not run');
      assert.deepEqual(await remaining(`SELECT reason AS label FROM audit_events WHERE type = 'test.kept'`), ['ancient']);
    } finally {
      await keeper.app.close();
    }
  });

  it('npm run prune runs it once from the environment and prints the counts', async () => {
    await t.db.query(`INSERT INTO audit_events (occurred_at, type, organization_id, reason) VALUES (now() - interval '450 days', 'test.cron', $1, 'cron')`, [orgId]);
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: t.config.database.url, NODE_ENV: 'test', LOG_LEVEL: 'silent', AUDIT_RETENTION_DAYS: '400' };
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'scripts/prune.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 0, out);
    const report = JSON.parse(out.trim().split('\n').pop() as string) as { pruned: boolean; deleted: Record<string, number> };
    assert.equal(report.pruned, true);
    assert.ok(report.deleted.audit_events >= 1, out);
    assert.deepEqual(await remaining(`SELECT reason AS label FROM audit_events WHERE type = 'test.cron'`), []);
  });
});
