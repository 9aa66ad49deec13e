import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { finishedOrRefusedByDrain, loginWave, NpmStart, startNpmStart, stopNpmStart } from '../support/npm-start';

const DRAIN_BOUND_MS = 10_000;
const WAVE = 12;
const IN_FLIGHT_AFTER_MS = 120;

/**
 * The `npm start` path (src/main.ts) with no DATABASE_URL: the embedded
 * PostgreSQL is started, migrated and seeded, and SIGTERM must drain the
 * requests in flight before the database stops, then exit 0 with the cluster
 * shut down cleanly (no postmaster.pid left behind).
 */
describe('npm start (src/main.ts, embedded PostgreSQL) on SIGTERM', () => {
  let app: NpmStart | undefined;
  after(async () => {
    if (app) await stopNpmStart(app, false);
  });

  it('finishes in-flight requests, stops the embedded database cleanly and exits 0', async () => {
    app = await startNpmStart({ name: 'main', startTimeoutMs: 40_000 });
    const wave = loginWave(app, WAVE);
    // Long enough for every request to be accepted and parsed, short of their bcrypt work finishing.
    await sleep(IN_FLIGHT_AFTER_MS);
    app.proc.kill('SIGTERM');
    const signalledAt = Date.now();
    const statuses = await wave;
    const exit = await app.exited;
    const drainMs = Date.now() - signalledAt;
    console.log(`# npm start + SIGTERM: in-flight logins → ${JSON.stringify(statuses)}, exit ${JSON.stringify(exit)} after ${drainMs} ms`);

    assert.deepEqual(exit, { code: 0, signal: null }, app.output());
    assert.ok(app.output().includes('Stopped cleanly.'), app.output());
    // The database stops after the pool's last connection has closed (none of them terminated by it).
    assert.doesNotMatch(app.output(), /database system is shutting down|terminating connection due to administrator command|sessions still open/);
    // Well inside an orchestrator's grace period (Kubernetes: 30 s): idle keep-alive connections must not hold the drain.
    assert.ok(drainMs < DRAIN_BOUND_MS, `stopped ${drainMs} ms after SIGTERM`);
    assert.ok(statuses.every(finishedOrRefusedByDrain), `the logins in flight finished before the database stopped: ${JSON.stringify(statuses)}`);
    assert.ok(statuses.filter((s) => s === 200).length >= WAVE / 4, `most of the wave was in flight: ${JSON.stringify(statuses)}`);
    assert.equal(existsSync(join(app.dataDir, 'postgres', 'postmaster.pid')), false, 'PostgreSQL shut down cleanly');
  });
});
