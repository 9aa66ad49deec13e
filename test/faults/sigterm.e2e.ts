import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { AppProcess, startAppProcess } from '../support/app-process';
import { createOrganization, createUser, PASSWORD } from '../support/factories';
import { get, HttpResponse, post } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { login, loginUrl, meUrl } from '../auth/auth-helpers';

/** Requests started at least this long before the signal have surely reached the server: they are in flight. */
const IN_FLIGHT_MARGIN_MS = 100;
const WORKERS = 12;

interface Outcome {
  startedAt: number;
  endedAt: number;
  status?: number;
  error?: string;
}

/** A fresh TCP connection (no keep-alive pool): refused once the server stopped listening, or 503 while it drains. */
function newConnection(url: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = httpRequest(`${url}/api/health`, { agent: false, headers: { connection: 'close' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    req.end();
  });
}

/**
 * SIGTERM to a forked instance under a steady stream of logins (slow: bcrypt)
 * and /me calls: what was in flight finishes with 200, what comes after is
 * refused (connection refused, or Fastify's 503 while it drains), the process
 * exits 0 and leaves no connection behind in PostgreSQL.
 */
describe('SIGTERM under load', () => {
  let t: TestApp;
  let instance: AppProcess;
  /** One account per client: parallel logins of one account from one IP would share (and spend) one throttle budget. */
  let emails: string[];
  let applicationName: string;

  before(async () => {
    t = await startTestApp();
    const org = await createOrganization(t.db);
    emails = [];
    for (let i = 0; i < WORKERS; i++) emails.push((await createUser(t.db, org, { email: `drain${i}@acme.example` })).email);
    // The forked instance's connections carry a name of their own (a connection-string parameter wins over the pool's).
    applicationName = `authgate-sigterm-${process.pid}`;
    const url = new URL(t.config.database.url);
    url.searchParams.set('application_name', applicationName);
    instance = await startAppProcess({ ...t.config, database: { ...t.config.database, url: url.toString() } });
  });
  after(async () => {
    await instance.close();
    await t.close();
  });

  it('finishes every in-flight request with 200, refuses new ones, exits 0 and closes its pool', async () => {
    const bearer = (await login(instance, emails[0], PASSWORD)).body.token as string;
    const [{ n: connectionsBefore }] = await t.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1`,
      [applicationName],
    );
    assert.ok(connectionsBefore > 0, 'the instance is connected under its own name');

    const outcomes: Outcome[] = [];
    let exited = false;
    void instance.exited.then(() => {
      exited = true;
    });
    const worker = async (i: number): Promise<void> => {
      while (!exited) {
        const outcome: Outcome = { startedAt: Date.now(), endedAt: 0 };
        outcomes.push(outcome);
        try {
          const res: HttpResponse =
            i % 3 === 0 ? await get(meUrl(instance), { token: bearer }) : await post(loginUrl(instance), { email: emails[i], password: PASSWORD });
          outcome.status = res.status;
        } catch (err) {
          const cause = (err as { cause?: { code?: string } }).cause;
          outcome.error = cause?.code ?? String(err);
        }
        outcome.endedAt = Date.now();
        // After the first refusal a client would go elsewhere; back off a little so the stream does not spin.
        if (outcome.error) await sleep(20);
      }
    };
    const load = Promise.all(Array.from({ length: WORKERS }, (_, i) => worker(i)));
    await sleep(1_500);
    const signalledAt = Date.now();
    instance.child.kill('SIGTERM');
    // Once the drain has begun (the instance says so), not after a guessed delay: on a loaded machine the
    // signal may be handled after a connection made 50 ms later, which then rightly got 200.
    await Promise.race([instance.draining, instance.exited]);
    const fresh = await newConnection(instance.url);
    const exit = await instance.exited;
    await load;

    const inFlight = outcomes.filter((o) => o.startedAt <= signalledAt - IN_FLIGHT_MARGIN_MS && o.endedAt >= signalledAt);
    const before = outcomes.filter((o) => o.startedAt <= signalledAt - IN_FLIGHT_MARGIN_MS);
    const after = outcomes.filter((o) => o.startedAt > signalledAt);
    const summary = (list: Outcome[]) =>
      list.reduce<Record<string, number>>((acc, o) => ({ ...acc, [o.status ?? o.error ?? '?']: (acc[o.status ?? o.error ?? '?'] ?? 0) + 1 }), {});
    console.log(
      `# SIGTERM under load: ${outcomes.length} requests from ${WORKERS} clients; before the signal ${JSON.stringify(summary(before))}, ` +
        `${inFlight.length} in flight at SIGTERM → ${JSON.stringify(summary(inFlight))}; after ${JSON.stringify(summary(after))}; fresh connection → ${fresh}; exit ${exit.code}`,
    );

    assert.ok(inFlight.length > 0, 'the signal came while requests were in flight');
    assert.deepEqual(summary(before), { 200: before.length }, 'everything sent before the signal, in flight included, got 200');
    for (const o of outcomes) assert.ok(o.status === undefined || o.status < 500 || o.status === 503, `no 5xx but the drain's 503: ${o.status}`);
    for (const o of after) assert.ok(o.status === 200 || o.status === 503 || o.error, `after the signal: 200 (already accepted), 503 or refused`);
    assert.ok(fresh === 'ECONNREFUSED' || fresh === 503 || fresh === 'ECONNRESET', `a new connection during the drain: ${fresh}`);
    assert.deepEqual(exit, { code: 0, signal: null }, 'a clean exit');

    const connections = async (): Promise<number> =>
      (await t.db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1`, [applicationName]))[0].n;
    // A backend leaves pg_stat_activity a moment after its client said goodbye.
    let left = await connections();
    for (let i = 0; i < 10 && left > 0; i++) {
      await sleep(100);
      left = await connections();
    }
    assert.equal(left, 0, 'its pool is closed');
  });
});
