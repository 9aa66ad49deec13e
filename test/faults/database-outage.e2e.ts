import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { EmbeddedDatabase, startEmbeddedPostgres } from '../../src/platform/database/embedded-postgres';
import { runMigrations } from '../../src/platform/database/migrate';
import { accountKeyOf, ipSubjectOf } from '../../src/throttle/throttle-keys';
import { createOrganization, createUser, PASSWORD } from '../support/factories';
import { get, HttpResponse, post } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { assertApiError, login, loginUrl, meUrl, refreshUrl } from '../auth/auth-helpers';

/** The contract's bounds: 503 within 5 s of asking, recovery within 10 s of the database returning. */
const ANSWER_BOUND_MS = 5_000;
const RECOVERY_BOUND_MS = 10_000;
const WRONG = 'not-the-password';
const IP = '203.0.113.77';

/** Nothing of the cause may reach the client: no stack, no SQL, no driver message. */
function assertNoInternals(res: HttpResponse): void {
  assert.doesNotMatch(res.text, /stack|\bat .+:\d+|\.ts\b|SELECT|INSERT|UPDATE|ECONN|postgres|connect|terminat|pool/i, res.text);
}

/**
 * The database stopped and started again under a running service: a
 * PostgreSQL of this file's own (not the shared test server), under .data-test/,
 * on a port of its own, so it can be stopped without touching other files.
 */
describe('database stopped and started again under a running service', () => {
  const dir = join('.data-test', `outage-${process.pid}-${randomBytes(3).toString('hex')}`);
  let pg: EmbeddedDatabase;
  let port: number;
  let t: TestApp;
  let email: string;
  let faults = 0;
  let requests = 0;

  const timed = async (send: () => Promise<HttpResponse>): Promise<HttpResponse & { ms: number }> => {
    requests += 1;
    const started = Date.now();
    const res = await send();
    return { ...res, ms: Date.now() - started };
  };
  const loginAs = (password: string) => timed(() => post(loginUrl(t), { email, password }, { headers: { 'x-forwarded-for': IP } }));
  const counters = async (): Promise<{ account: number; accountIp: number }> => {
    const account = accountKeyOf(email);
    const read = async (key: string) => {
      const rows = await t.db.query<{ failures: number }[]>(`SELECT failures FROM throttle_counters WHERE key = $1`, [key]);
      return rows[0]?.failures ?? 0;
    };
    return { account: await read(`acct:${account}`), accountIp: await read(`acct-ip:${account}:${ipSubjectOf(IP)}`) };
  };

  before(async () => {
    pg = await startEmbeddedPostgres(join(dir, 'postgres'), { throwaway: true });
    port = Number(new URL(pg.url).port);
    await runMigrations(pg.url);
    // Errors only, so that an unexpected one (a 500) is named in the failure message.
    t = await startTestApp({ databaseUrl: pg.url, captureLogs: true, config: { trustProxy: ['127.0.0.1'], logLevel: 'error' } });
    const org = await createOrganization(t.db);
    email = (await createUser(t.db, org, { email: 'outage@acme.example' })).email;
  });
  after(async () => {
    await t?.close();
    await pg?.stop();
    rmSync(dir, { recursive: true, force: true });
    console.log(`# database outage: ${faults} stop/start of PostgreSQL, ${requests} requests, 1 instance`);
  });

  it('answers 503 SERVICE_UNAVAILABLE within 5 s while the database is down, counts no failure, and recovers by itself within 10 s', async () => {
    const session = await login(t, email, PASSWORD);
    // A session this instance has never checked: its bearer requests must go to the database.
    const unseen = await login(t, email, PASSWORD);
    assert.equal((await get(meUrl(t), { token: session.body.token })).status, 200);
    assert.equal((await loginAs(WRONG)).status, 401, 'one failure before the outage');
    assert.deepEqual(await counters(), { account: 1, accountIp: 1 });

    await pg.stop();
    faults += 1;

    const answers = {
      login: await loginAs(PASSWORD),
      wrongPassword: await loginAs(WRONG),
      refresh: await timed(() => post(refreshUrl(t), { refreshToken: session.body.refreshToken })),
      me: await timed(() => get(meUrl(t), { token: unseen.body.token })),
    };
    for (let i = 0; i < 4; i++) assertApiError(await loginAs(WRONG), 503, 'SERVICE_UNAVAILABLE');
    for (const [name, res] of Object.entries(answers)) {
      assertApiError(res, 503, 'SERVICE_UNAVAILABLE');
      assertNoInternals(res);
      assert.ok(res.ms < ANSWER_BOUND_MS, `${name} answered after ${res.ms} ms`);
    }
    const workspace = await timed(() => post(`${t.url}/api/workspace/auth/login`, { UserNameOrEmail: email, Password: PASSWORD }));
    assert.equal(workspace.status, 503, workspace.text);
    assert.equal(workspace.body.Errors[0].Code, 'ServiceUnavailable');
    assertNoInternals(workspace);
    assert.ok(workspace.ms < ANSWER_BOUND_MS);

    const live = await timed(() => get(`${t.url}/api/health`));
    assert.equal(live.status, 200, 'the process is up');
    const ready = await timed(() => get(`${t.url}/api/health/ready`));
    assert.equal(ready.status, 503, ready.text);
    assertNoInternals(ready);
    assert.ok(ready.ms < ANSWER_BOUND_MS);

    pg = await startEmbeddedPostgres(join(dir, 'postgres'), { throwaway: true, port });
    const back = Date.now();
    let ready2 = await timed(() => get(`${t.url}/api/health/ready`));
    while (ready2.status !== 200 && Date.now() - back < RECOVERY_BOUND_MS + 2_000) {
      await sleep(200);
      ready2 = await timed(() => get(`${t.url}/api/health/ready`));
    }
    assert.equal(ready2.status, 200, ready2.text);
    assert.deepEqual(await counters(), { account: 1, accountIp: 1 }, 'no failure counted during the outage, only the one from before');
    const res = await loginAs(PASSWORD);
    const recoveredMs = Date.now() - back;
    assert.equal(res.status, 200, res.text);
    assert.ok(recoveredMs < RECOVERY_BOUND_MS, `recovered after ${recoveredMs} ms`);
    assert.equal((await timed(() => get(meUrl(t), { token: res.body.token }))).status, 200);
    const next = await timed(() => post(refreshUrl(t), { refreshToken: session.body.refreshToken }));
    assert.equal(next.status, 200, `the session from before the outage lives on: ${next.text}`);
    console.log(`# database outage: 503 answers in ≤ ${Math.max(...Object.values(answers).map((a) => a.ms))} ms, recovered ${recoveredMs} ms after PostgreSQL was back`);
  });

  it('answers every request 200 or 503 (never a 500, never a hang) while the database stops and starts under load', async () => {
    const bearer = (await login(t, email, PASSWORD)).body.token as string;
    const statuses: Record<string, number> = {};
    let slowest = 0;
    let stopLoad = false;
    const worker = async (i: number): Promise<void> => {
      while (!stopLoad) {
        const res = await timed(() => (i % 2 === 0 ? post(loginUrl(t), { email, password: PASSWORD }) : get(meUrl(t), { token: bearer })));
        const key = res.status === 503 ? `503 ${res.body.code}` : String(res.status);
        statuses[key] = (statuses[key] ?? 0) + 1;
        slowest = Math.max(slowest, res.ms);
        if (res.status !== 200) assertNoInternals(res);
      }
    };
    const load = Promise.all(Array.from({ length: 6 }, (_, i) => worker(i)));
    await sleep(300);
    await pg.stop();
    faults += 1;
    await sleep(1_500);
    pg = await startEmbeddedPostgres(join(dir, 'postgres'), { throwaway: true, port });
    await sleep(2_000);
    stopLoad = true;
    await load;
    console.log(`# database outage under load: ${JSON.stringify(statuses)}, slowest answer ${slowest} ms`);
    const unexpected = t.logs.filter((line) => line.includes('"context":"Errors"')).map((line) => line.slice(0, 2000));
    assert.deepEqual(Object.keys(statuses).sort(), ['200', '503 SERVICE_UNAVAILABLE'], `${JSON.stringify(statuses)}\n${unexpected.join('\n')}`);
    assert.ok(slowest < ANSWER_BOUND_MS, `slowest answer ${slowest} ms`);
    assert.equal((await get(meUrl(t), { token: bearer })).status, 200, 'recovered');
  });

  it('answers 503 within 5 s when the database stops answering (frozen, as behind a network partition), and recovers when it thaws', async () => {
    const session = await login(t, email, PASSWORD);
    const unseen = await login(t, email, PASSWORD);
    const pids = postgresPids(join(dir, 'postgres'));
    const signalAll = (signal: NodeJS.Signals) => pids.forEach((pid) => process.kill(pid, signal));
    signalAll('SIGSTOP');
    faults += 1;
    let answers: (HttpResponse & { ms: number })[];
    try {
      answers = await Promise.all([
        loginAs(PASSWORD),
        timed(() => post(refreshUrl(t), { refreshToken: session.body.refreshToken })),
        timed(() => get(meUrl(t), { token: unseen.body.token })),
        timed(() => get(`${t.url}/api/health/ready`)),
      ]);
    } finally {
      signalAll('SIGCONT');
    }
    const thawed = Date.now();
    for (const res of answers) {
      assert.equal(res.status, 503, res.text);
      assertNoInternals(res);
      assert.ok(res.ms < ANSWER_BOUND_MS, `answered after ${res.ms} ms: ${res.text}`);
    }
    console.log(`# database frozen (SIGSTOP): 503 in ${answers.map((a) => a.ms).join('/')} ms`);
    let res = await loginAs(PASSWORD);
    while (res.status !== 200 && Date.now() - thawed < RECOVERY_BOUND_MS + 2_000) {
      await sleep(200);
      res = await loginAs(PASSWORD);
    }
    assert.equal(res.status, 200, res.text);
    assert.ok(Date.now() - thawed < RECOVERY_BOUND_MS);
    // Not asserted: a reservation committed by the frozen server after the client gave up is never handed back (see the closing note).
    console.log(`# database frozen: throttle counters after thaw ${JSON.stringify(await counters())} (1 real failure so far)`);
  });
});

/** The postmaster (first line of postmaster.pid) and its children (the backends). */
function postgresPids(dataDir: string): number[] {
  const postmaster = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const children = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        // Field 4 of /proc/<pid>/stat is the parent pid; the command name (field 2) is in parentheses.
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster;
      } catch {
        return false;
      }
    })
    .map(Number);
  return [postmaster, ...children];
}
