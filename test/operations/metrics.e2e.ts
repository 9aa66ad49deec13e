import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MetricsServer } from '../../src/platform/metrics/metrics.server';
import { codeAt, enrollTotp, mfaTokenFor, mfaUrl, secondStep, setMfaPolicy } from '../mfa/mfa-helpers';
import { createOrganization, createUser, PASSWORD } from '../support/factories';
import { FakeClock } from '../support/fake-clock';
import { get, post } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';

type Sample = { name: string; labels: Record<string, string>; value: number };

/** The Prometheus text format, parsed line by line (what a Prometheus server reads). */
function parse(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1], type[2]);
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(m, `not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return { samples, types };
}

function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

describe('GET /metrics on METRICS_PORT (Prometheus)', () => {
  const clock = new FakeClock(Date.parse('2031-03-01T09:00:00Z'));
  let t: TestApp;
  let metricsUrl: string;

  before(async () => {
    t = await startTestApp({ clock, config: { metrics: { port: 0 } } });
    metricsUrl = t.app.get(MetricsServer).url as string;
  });
  after(() => t.close());

  it('serves the series the contract lists, counted from real requests, in the Prometheus text format', async () => {
    const org = await createOrganization(t.db);
    const user = await createUser(t.db, org);
    const other = await createUser(t.db, org);

    const ok = await post(`${t.url}/api/auth/login`, { email: user.email, password: PASSWORD });
    assert.equal(ok.status, 200, ok.text);
    assert.equal((await post(`${t.url}/api/auth/login`, { email: user.email, password: 'wrong password!' })).status, 401);
    // One account's failures until the throttle refuses (429).
    let refused = 0;
    for (let i = 0; i < 12; i++) if ((await post(`${t.url}/api/auth/login`, { email: other.email, password: 'wrong password!' })).status === 429) refused++;
    assert.ok(refused > 0, 'the throttle refused some attempts');
    for (let i = 0; i < 3; i++) assert.equal((await get(`${t.url}/api/auth/me`, { token: ok.body.token })).status, 200);
    const first = ok.body.refreshToken as string;
    const rotated = await post(`${t.url}/api/auth/refresh`, { refreshToken: first });
    assert.equal(rotated.status, 200, rotated.text);
    assert.equal((await post(`${t.url}/api/auth/refresh`, { refreshToken: first })).status, 200, 'within the grace window');
    clock.advance(60_000);
    assert.equal((await post(`${t.url}/api/auth/refresh`, { refreshToken: first })).status, 401, 'reuse after the grace window');
    assert.equal((await get(`${t.url}/api/no-such-route`)).status, 404);

    const res = await fetch(metricsUrl);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const { samples, types } = parse(await res.text());

    assert.equal(value(samples, 'authgate_logins_total', { method: 'password', outcome: 'success' }), 1);
    assert.equal(value(samples, 'authgate_logins_total', { method: 'password', outcome: 'failure' }), 1 + 12 - refused);
    assert.equal(value(samples, 'authgate_logins_total', { method: 'password', outcome: 'throttled' }), refused);
    assert.equal(value(samples, 'authgate_throttle_refusals_total'), refused);
    assert.equal(value(samples, 'authgate_refreshes_total', { outcome: 'rotated' }), 1);
    assert.equal(value(samples, 'authgate_refreshes_total', { outcome: 'grace' }), 1);
    assert.equal(value(samples, 'authgate_refreshes_total', { outcome: 'reuse' }), 1);
    assert.equal(value(samples, 'authgate_http_request_duration_seconds_count', { method: 'GET', route: '/api/auth/me', status_code: '200' }), 3);
    assert.equal(value(samples, 'authgate_http_request_duration_seconds_count', { method: 'POST', route: '/api/auth/login', status_code: '429' }), refused);
    assert.equal(value(samples, 'authgate_http_request_duration_seconds_count', { route: 'unmatched', status_code: '404' }), 1, 'unknown URLs share one label');
    assert.ok(!samples.some((s) => s.labels.route === '/api/no-such-route'), 'raw URLs never become labels');
    assert.ok(value(samples, 'authgate_session_cache_lookups_total', { result: 'hit' }) >= 1, 'me answered from the session cache');
    assert.ok(value(samples, 'authgate_db_pool_connections', { state: 'total' }) >= 1, 'the pool is open');
    assert.equal(value(samples, 'authgate_db_pool_max_connections'), t.config.database.poolSize);
    assert.ok(samples.some((s) => s.name === 'nodejs_eventloop_lag_seconds'), 'event-loop lag');
    assert.ok(value(samples, 'process_resident_memory_bytes') > 0, 'process metrics');
    assert.ok(samples.some((s) => s.name === 'authgate_workos_request_duration_seconds_count') || types.has('authgate_workos_request_duration_seconds'));
    assert.ok(types.has('authgate_emails_total') && types.has('authgate_mfa_outcomes_total'), 'the series other features record into exist');

    // Prometheus's naming conventions: snake case, counters end in _total, durations in seconds.
    for (const [name, type] of types) {
      assert.match(name, /^[a-z][a-z0-9_]*$/, name);
      if (type === 'counter') assert.match(name, /_total$/, `${name} is a counter`);
      if (name.includes('duration')) assert.match(name, /_seconds$/, name);
    }
  });

  it('counts second-factor outcomes by step, factor and outcome, with no code in any label', async () => {
    const scrape = async () => parse(await (await fetch(metricsUrl)).text()).samples;
    const mfa = (samples: Sample[], step: string, factor: string, outcome: string) => value(samples, 'authgate_mfa_outcomes_total', { step, factor, outcome });
    const org = await createOrganization(t.db);
    const user = await createUser(t.db, org);
    const before = await scrape();
    const { secret, recoveryCodes, token } = await enrollTotp(t, clock, user.email);

    const wrong = codeAt(secret, clock) === '000000' ? '111111' : '000000';
    const mfaToken = await mfaTokenFor(t, user.email);
    assert.equal((await secondStep(t, { mfaToken, code: wrong })).status, 401);
    assert.equal((await secondStep(t, { mfaToken, code: codeAt(secret, clock) })).status, 200);
    assert.equal((await secondStep(t, { mfaToken, code: codeAt(secret, clock, 1) })).status, 401, 'the used token is dead');
    assert.equal((await secondStep(t, { mfaToken: await mfaTokenFor(t, user.email), recoveryCode: recoveryCodes[0] })).status, 200);
    clock.advance(30_000);
    assert.equal((await post(mfaUrl(t, '/step-up'), { code: wrong }, { token })).status, 401);
    assert.equal((await post(mfaUrl(t, '/step-up'), { code: codeAt(secret, clock) }, { token })).status, 204);
    const strict = await createOrganization(t.db);
    await setMfaPolicy(t.db, strict, 'all');
    const newcomer = await createUser(t.db, strict);
    assert.equal((await post(`${t.url}/api/auth/login`, { email: newcomer.email, password: PASSWORD })).body.code, 'MFA_ENROLLMENT_REQUIRED');

    const after = await scrape();
    const delta = (step: string, factor: string, outcome: string) => mfa(after, step, factor, outcome) - mfa(before, step, factor, outcome);
    assert.equal(delta('enrollment', 'totp', 'accepted'), 1, 'confirmed from the settings');
    assert.equal(delta('login', 'totp', 'required'), 2, 'two passwords answered with the second step');
    assert.equal(delta('login', 'totp', 'rejected'), 1);
    assert.equal(delta('login', 'totp', 'accepted'), 1);
    assert.equal(delta('login', 'totp', 'token_invalid'), 1);
    assert.equal(delta('login', 'recovery_code', 'accepted'), 1);
    assert.equal(delta('step_up', 'totp', 'rejected'), 1);
    assert.equal(delta('step_up', 'totp', 'accepted'), 1);
    assert.equal(delta('enrollment', 'totp', 'required'), 1, 'the policy sent a user to enrollment');

    const labels = after.filter((s) => s.name === 'authgate_mfa_outcomes_total').map((s) => s.labels);
    for (const { step, factor, outcome } of labels) {
      assert.match(step, /^(login|enrollment|email_verification|step_up|disable|recovery_codes)$/);
      assert.match(factor, /^(totp|recovery_code|workos_totp|email_code)$/);
      assert.match(outcome, /^(required|accepted|rejected|token_invalid|throttled|not_enabled|error)$/);
    }
  });

  it('is not served on the API port', async () => {
    assert.equal((await get(`${t.url}/metrics`)).status, 404);
    assert.equal((await get(`${t.url}/api/metrics`)).status, 404);
  });

  it('is off when METRICS_PORT is unset', async () => {
    const plain = await startTestApp({ databaseUrl: t.config.database.url });
    try {
      assert.equal(plain.app.get(MetricsServer).url, undefined);
    } finally {
      await plain.app.close();
    }
  });
});
