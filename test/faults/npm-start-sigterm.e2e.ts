import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { get, post } from '../support/http';

const DRAIN_BOUND_MS = 10_000;
const WAVE = 12;
const IN_FLIGHT_AFTER_MS = 120;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * The `npm start` path (src/main.ts) with no DATABASE_URL: the embedded
 * PostgreSQL is started, migrated and seeded, and SIGTERM must drain the
 * requests in flight before the database stops, then exit 0 with the cluster
 * shut down cleanly (no postmaster.pid left behind).
 */
describe('npm start (src/main.ts, embedded PostgreSQL) on SIGTERM', () => {
  const dataDir = join('.data-test', `main-${process.pid}-${randomBytes(3).toString('hex')}`);
  let child: ChildProcess | undefined;
  after(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('finishes in-flight requests, stops the embedded database cleanly and exits 0', async () => {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), NODE_ENV: 'development', LOG_LEVEL: 'silent', BCRYPT_COST: '10' };
    delete env.DATABASE_URL;
    delete env.TEST_DATABASE_URL;
    const output: string[] = [];
    child = spawn(process.execPath, ['-r', '@swc-node/register', join('src', 'main.ts')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child?.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const base = `http://127.0.0.1:${port}`;
    const startedAt = Date.now();
    while (!output.join('').includes('is listening on')) {
      assert.ok(Date.now() - startedAt < 40_000, `npm start did not come up: ${output.join('')}`);
      assert.equal(child.exitCode, null, output.join(''));
      await sleep(200);
    }
    const demo = /"email":"([^"]+)","password":"([^"]+)"/.exec(output.join(''));
    assert.ok(demo, `the demo login is printed: ${output.join('')}`);
    assert.equal((await get(`${base}/api/health/ready`)).status, 200);

    // Warm the login path (first use compiles and connects), then a wave of logins (bcrypt: slow) in flight when the signal comes.
    assert.equal((await post(`${base}/api/auth/login`, { email: demo[1], password: demo[2] })).status, 200);
    const wave = Promise.all(
      Array.from({ length: WAVE }, () =>
        post(`${base}/api/auth/login`, { email: demo[1], password: demo[2] }).then(
          (res) => (res.status === 200 ? 200 : `${res.status} ${res.body?.code ?? res.body?.error ?? ''}`),
          (err: unknown) => `error ${String((err as { cause?: { code?: string } }).cause?.code ?? err)}`,
        ),
      ),
    );
    // Long enough for every request to be accepted and parsed, short of their bcrypt work finishing.
    await sleep(IN_FLIGHT_AFTER_MS);
    child.kill('SIGTERM');
    const signalledAt = Date.now();
    const statuses = await wave;
    const exit = await exited;
    const drainMs = Date.now() - signalledAt;
    console.log(`# npm start + SIGTERM: in-flight logins → ${JSON.stringify(statuses)}, exit ${JSON.stringify(exit)} after ${drainMs} ms`);

    assert.deepEqual(exit, { code: 0, signal: null }, output.join(''));
    assert.ok(output.join('').includes('Stopped cleanly.'), output.join(''));
    // Well inside an orchestrator's grace period (Kubernetes: 30 s): idle keep-alive connections must not hold the drain.
    assert.ok(drainMs < DRAIN_BOUND_MS, `stopped ${drainMs} ms after SIGTERM`);
    // Parallel logins of one account from one IP share its throttle budget, so a 429 is a finished answer too.
    // What the drain may refuse (requests not yet read when it began): Fastify's own 503, or a reset connection.
    // What it may never do: stop the database under a request (our 503 SERVICE_UNAVAILABLE) or fail one (500).
    const refusedByDrain = (s: number | string) => s === '503 Service Unavailable' || s === 'error ECONNRESET' || s === 'error ECONNREFUSED';
    assert.ok(
      statuses.every((s) => s === 200 || s === '429 TOO_MANY_ATTEMPTS' || refusedByDrain(s)),
      `the logins in flight finished before the database stopped: ${JSON.stringify(statuses)}`,
    );
    assert.ok(statuses.filter((s) => s === 200).length >= WAVE / 4, `most of the wave was in flight: ${JSON.stringify(statuses)}`);
    assert.equal(existsSync(join(dataDir, 'postgres', 'postmaster.pid')), false, 'PostgreSQL shut down cleanly');
  });
});
