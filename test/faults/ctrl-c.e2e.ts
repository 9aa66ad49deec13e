import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { finishedOrRefusedByDrain, loginWave, NpmStart, startNpmStart, stopNpmStart } from '../support/npm-start';

const WAVE = 12;
const IN_FLIGHT_AFTER_MS = 120;

/**
 * Ctrl-C in a terminal sends SIGINT to the whole foreground process group: node and,
 * unless it runs in a group of its own, the embedded PostgreSQL, which then shuts down
 * at once under the requests still draining ("the database system is shutting down").
 * Here `npm start`'s process (src/main.ts) leads a process group of its own, as a
 * terminal's job does, and the signal goes to the group. The database must stop only
 * after every pool connection has closed: a connection still open when it stops is
 * terminated, and PostgreSQL says so ("terminating connection due to administrator command").
 */
describe('Ctrl-C (SIGINT to the process group) of npm start with the embedded PostgreSQL', () => {
  const started: NpmStart[] = [];
  after(async () => {
    for (const app of started) await stopNpmStart(app, true);
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} to the group: the requests in flight finish, then the database stops cleanly and the process exits 0`, async () => {
      const app = await startNpmStart({ name: 'ctrl-c', detached: true });
      started.push(app);
      const wave = loginWave(app, WAVE);
      await sleep(IN_FLIGHT_AFTER_MS);
      process.kill(-(app.proc.pid as number), signal);
      const statuses = await wave;
      const exit = await app.exited;
      console.log(`# ${signal} to npm start's process group: in-flight logins → ${JSON.stringify(statuses)}, exit ${JSON.stringify(exit)}`);

      assert.deepEqual(exit, { code: 0, signal: null }, app.output());
      assert.ok(app.output().includes('Stopped cleanly.'), app.output());
      assert.doesNotMatch(app.output(), /database system is shutting down|terminating connection due to administrator command|sessions still open/);
      assert.ok(statuses.every(finishedOrRefusedByDrain), `the logins in flight finished before the database stopped: ${JSON.stringify(statuses)}`);
      assert.ok(statuses.filter((s) => s === 200).length >= WAVE / 4, `most of the wave was in flight: ${JSON.stringify(statuses)}`);
      assert.equal(existsSync(join(app.dataDir, 'postgres', 'postmaster.pid')), false, 'PostgreSQL shut down cleanly');
    });
  }
});
