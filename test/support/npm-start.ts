import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './free-port';
import { get, post } from './http';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** `npm start`'s process (src/main.ts) on the embedded PostgreSQL, listening, with the demo login it printed. */
export interface NpmStart {
  proc: ChildProcess;
  base: string;
  dataDir: string;
  demo: { email: string; password: string };
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  exited: Promise<Exit>;
}

/**
 * Starts src/main.ts as `npm start` runs it, with no DATABASE_URL (so the embedded
 * PostgreSQL, in a fresh data directory: the demo fixture loads into an empty database
 * only), waits until it listens and is ready, and warms the login path (the first use
 * compiles and connects). `detached`: the process leads a process group (and session) of
 * its own, like a job started from a shell. The caller stops it with stopNpmStart
 * (which also removes `dataDir`); a start that fails stops it itself.
 */
export async function startNpmStart(options: { name: string; detached?: boolean; startTimeoutMs?: number }): Promise<NpmStart> {
  const dataDir = join('.data-test', `${options.name}-${process.pid}-${randomBytes(3).toString('hex')}`);
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), NODE_ENV: 'development', LOG_LEVEL: 'silent', BCRYPT_COST: '10' };
  delete env.DATABASE_URL;
  delete env.TEST_DATABASE_URL;
  const chunks: string[] = [];
  const output = () => chunks.join('');
  const proc = spawn(process.execPath, ['-r', '@swc-node/register', join('src', 'main.ts')], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  proc.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  proc.stderr?.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  const exited = new Promise<Exit>((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  const base = `http://127.0.0.1:${port}`;
  try {
    const startedAt = Date.now();
    const timeoutMs = options.startTimeoutMs ?? 60_000;
    // The demo login is the banner's last line (src/main.ts prints the banner in one write).
    const demoLine = /"email":"([^"]+)","password":"([^"]+)"/;
    while (!demoLine.test(output())) {
      assert.ok(Date.now() - startedAt < timeoutMs, `npm start did not come up with its demo login: ${output()}`);
      assert.equal(proc.exitCode, null, output());
      await sleep(200);
    }
    const demo = demoLine.exec(output()) as RegExpExecArray;
    assert.ok(output().includes('is listening on'), output());
    assert.equal((await get(`${base}/api/health/ready`)).status, 200);
    assert.equal((await post(`${base}/api/auth/login`, { email: demo[1], password: demo[2] })).status, 200);
    return { proc, base, dataDir, demo: { email: demo[1], password: demo[2] }, output, exited };
  } catch (err) {
    // The caller never got hold of the process: stop it here, or its open pipes keep the
    // test file (and CI) waiting for ever (CI once waited 77 minutes on a failed start).
    await stopNpmStart({ proc, dataDir, exited }, options.detached ?? false);
    throw err;
  }
}

/**
 * Stops what startNpmStart started, if it still runs, and removes its data directory:
 * SIGTERM first (its own handler stops the embedded PostgreSQL, which runs in another
 * process group and would outlive a SIGKILL of node), SIGKILL after 15 s. `group`: the
 * process leads a group of its own (`detached`), and the signals go to the group.
 */
export async function stopNpmStart(app: Pick<NpmStart, 'proc' | 'dataDir' | 'exited'>, group: boolean): Promise<void> {
  const { proc } = app;
  const signal = (name: NodeJS.Signals) => {
    if (!proc.pid || proc.exitCode !== null || proc.signalCode !== null) return;
    try {
      if (group) process.kill(-proc.pid, name);
      else proc.kill(name);
    } catch {
      // Already gone.
    }
  };
  signal('SIGTERM');
  const killer = setTimeout(() => signal('SIGKILL'), 15_000);
  await app.exited;
  clearTimeout(killer);
  rmSync(app.dataDir, { recursive: true, force: true });
}

/** What one login of a wave came to: 200, `status code` of a refusal, or `error CODE` of a failed connection. */
export type WaveOutcome = number | string;

/** `size` parallel logins of the demo account (bcrypt: slow, so they stay in flight a while). */
export function loginWave(app: NpmStart, size: number): Promise<WaveOutcome[]> {
  return Promise.all(
    Array.from({ length: size }, () =>
      post(`${app.base}/api/auth/login`, app.demo).then(
        (res) => (res.status === 200 ? 200 : `${res.status} ${res.body?.code ?? res.body?.error ?? ''}`),
        (err: unknown) => `error ${String((err as { cause?: { code?: string } }).cause?.code ?? err)}`,
      ),
    ),
  );
}

/**
 * What a drain may answer a login it had not read yet when it began: Fastify's own 503,
 * a reset or refused connection. Never our SERVICE_UNAVAILABLE (the database gone under a
 * request) nor a 500. Parallel logins of one account from one IP share its throttle
 * budget, so a 429 is a finished answer too.
 */
export function finishedOrRefusedByDrain(outcome: WaveOutcome): boolean {
  return (
    outcome === 200 ||
    outcome === '429 TOO_MANY_ATTEMPTS' ||
    outcome === '503 Service Unavailable' ||
    outcome === 'error ECONNRESET' ||
    outcome === 'error ECONNREFUSED'
  );
}
