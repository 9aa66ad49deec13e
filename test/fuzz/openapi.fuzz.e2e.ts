import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, TestApp } from '../support/test-app';
import { FUZZ_CONFIG, FuzzFixture, seedFuzzFixture } from './fuzz-fixture';
import { describeCoverage, describeFindings, runFuzz } from './fuzz-runner';

/** Fixed, so a CI failure replays exactly: FUZZ_SEED / FUZZ_RUNS override it locally. */
const SEED = Number(process.env.FUZZ_SEED ?? 20_260_507);
const RUNS = Number(process.env.FUZZ_RUNS ?? 5_000);

describe('fuzzing every OpenAPI operation with schema-shaped and hostile requests', () => {
  let t: TestApp;
  let fixture: FuzzFixture;

  before(async () => {
    t = await startTestApp({ config: FUZZ_CONFIG });
    fixture = await seedFuzzFixture(t.url, t.db, t.config);
  });
  after(() => t.close());

  it(`answers ${RUNS} requests (seed ${SEED}) without a 5xx, a stack trace, SQL, or an error outside its envelope`, async () => {
    const stats = await runFuzz({
      baseUrl: t.url,
      runs: RUNS,
      seed: SEED,
      context: fixture.context,
      afterChunk: () => fixture.renew(),
    });
    console.log(`# fuzz: ${stats.requests} requests, seed ${SEED}, ${stats.operations.length} operations`);
    console.log(describeCoverage(stats));
    assert.equal(stats.requests, RUNS);
    assert.equal(stats.findings.size, 0, `\n${describeFindings(stats)}`);
    assert.equal(stats.transportErrors, 0);

    // Every documented operation was exercised, and the guarded handlers were reached, not only the guards.
    for (const op of stats.operations) assert.ok(stats.byOperation.has(`${op.method} ${op.path}`), `${op.method} ${op.path} never fuzzed`);
    const statuses = (op: string) => stats.byOperation.get(op) ?? new Map<number, number>();
    assert.ok(statuses('GET /api/auth/me').has(200), 'a real bearer token reached GET /api/auth/me');
    assert.ok(statuses('GET /api/workspace/auth/me').has(200), 'a workspace token reached GET /api/workspace/auth/me');
    assert.ok(statuses('GET /api/auth/impersonations').has(200), 'the admin reached the audit list');
    assert.ok(statuses('POST /api/auth/login').has(401), 'fuzzed logins reached the password check, not only the throttle');
    assert.ok(statuses('POST /api/workspace/auth/login').has(400), 'workspace logins were refused by the handler');
  });
});
