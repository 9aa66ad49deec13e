import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { EnvironmentError, seedsDemoOnEmpty, validateEnvironment } from '../../src/platform/config/environment';
import { buildAppConfig, keyIdOf } from '../../src/platform/config/load-config';

const STRONG = 'q7Vx2mP9sL4kR8tY1wZ6nB3cF5hJ0dGe-strong-secret';
const PRODUCTION_MAIL = { SMTP_URL: 'smtps://mailer:pass@mail.example.com:465', PUBLIC_APP_URL: 'https://app.example.com' };

function failureOf(env: Record<string, string>): string {
  try {
    validateEnvironment(env);
  } catch (err) {
    assert.ok(err instanceof EnvironmentError);
    return err.message;
  }
  assert.fail('the environment was accepted');
}

describe('configuration, validated at start-up', () => {
  it('takes the documented defaults from an empty environment', () => {
    const env = validateEnvironment({});
    assert.equal(env.PORT, 3000);
    assert.equal(env.BCRYPT_COST, 12);
    assert.equal(env.REFRESH_GRACE_SECONDS, 10);
    assert.equal(env.WORKOS_API_HOSTNAME, 'api.workos.com');
    assert.equal(env.WORKOS_API_HTTPS, true);
    assert.equal(env.DATABASE_URL, undefined);
    assert.equal(env.REDIS_URL, undefined);
  });

  it('names the variable of every bad value', () => {
    const message = failureOf({ PORT: 'eighty', BCRYPT_COST: '9', WORKOS_API_HTTPS: 'maybe', SESSION_CACHE_MS: '60000' });
    for (const name of ['PORT', 'BCRYPT_COST', 'WORKOS_API_HTTPS', 'SESSION_CACHE_MS']) {
      assert.match(message, new RegExp(`^  ${name}: `, 'm'), message);
    }
  });

  it('refuses a production start without JWT_SECRET, or with a short or repetitive one', () => {
    assert.match(failureOf({ NODE_ENV: 'production' }), /JWT_SECRET: required/);
    assert.match(failureOf({ NODE_ENV: 'production', JWT_SECRET: 'short' }), /JWT_SECRET: must be at least 32 bytes/);
    assert.match(failureOf({ NODE_ENV: 'production', JWT_SECRET: 'ab'.repeat(32) }), /JWT_SECRET: too little variety/);
    assert.doesNotThrow(() => validateEnvironment({ NODE_ENV: 'production', JWT_SECRET: STRONG, DATABASE_URL: 'postgres://db/authgate', ...PRODUCTION_MAIL }));
  });

  it('refuses a production start without DATABASE_URL, naming it: the embedded PostgreSQL is for development', () => {
    assert.match(failureOf({ NODE_ENV: 'production', JWT_SECRET: STRONG }), /DATABASE_URL: required when NODE_ENV=production/);
    assert.match(failureOf({ NODE_ENV: 'production', JWT_SECRET: STRONG, DATABASE_URL: '  ' }), /DATABASE_URL: required/);
    assert.doesNotThrow(() => validateEnvironment({ JWT_SECRET: STRONG }), 'outside production the embedded one starts');
  });

  it('never loads the demo fixture in production: off by default there, and SEED_DEMO_ON_EMPTY=true refuses to start', () => {
    const production = { NODE_ENV: 'production', JWT_SECRET: STRONG, DATABASE_URL: 'postgres://db/authgate', ...PRODUCTION_MAIL };
    assert.equal(seedsDemoOnEmpty(validateEnvironment(production)), false);
    assert.equal(seedsDemoOnEmpty(validateEnvironment({ ...production, SEED_DEMO_ON_EMPTY: 'false' })), false);
    assert.match(failureOf({ ...production, SEED_DEMO_ON_EMPTY: 'true' }), /SEED_DEMO_ON_EMPTY: must not be true when NODE_ENV=production/);
    assert.equal(seedsDemoOnEmpty(validateEnvironment({})), true, 'development: on by default');
    assert.equal(seedsDemoOnEmpty(validateEnvironment({ SEED_DEMO_ON_EMPTY: 'no' })), false);
  });

  it('reads API_DOCS_ENABLED (on by default) and the HTTP timeouts, naming a bad value', () => {
    const config = buildAppConfig(validateEnvironment({ JWT_SECRET: STRONG, API_DOCS_ENABLED: 'false', HTTP_HEADERS_TIMEOUT_MS: '2000' }), 'postgres://x/y');
    assert.equal(config.apiDocsEnabled, false);
    assert.equal(config.http?.headersTimeoutMs, 2000);
    assert.equal(buildAppConfig(validateEnvironment({ JWT_SECRET: STRONG }), 'postgres://x/y').apiDocsEnabled, true);
    assert.match(failureOf({ API_DOCS_ENABLED: 'maybe' }), /API_DOCS_ENABLED/);
    assert.match(failureOf({ HTTP_REQUEST_TIMEOUT_MS: '10' }), /HTTP_REQUEST_TIMEOUT_MS/);
    assert.match(failureOf({ SHUTDOWN_TIMEOUT_MS: 'soon' }), /SHUTDOWN_TIMEOUT_MS/);
  });


  it('refuses a production start without SMTP_URL or PUBLIC_APP_URL, and a malformed SMTP_URL anywhere, without printing it', () => {
    const base = { NODE_ENV: 'production', JWT_SECRET: STRONG, DATABASE_URL: 'postgres://db/authgate' };
    assert.match(failureOf({ ...base, PUBLIC_APP_URL: PRODUCTION_MAIL.PUBLIC_APP_URL }), /SMTP_URL: required when NODE_ENV=production/);
    assert.match(failureOf({ ...base, SMTP_URL: PRODUCTION_MAIL.SMTP_URL }), /PUBLIC_APP_URL: required when NODE_ENV=production/);
    const malformed = failureOf({ SMTP_URL: 'http://mailer:secret-pass@mail.example' });
    assert.match(malformed, /SMTP_URL must look like smtp:\/\/user:pass@host:port/);
    assert.ok(!malformed.includes('secret-pass'), malformed);
    assert.match(failureOf({ PUBLIC_APP_URL: 'app.example.com' }), /PUBLIC_APP_URL must be an http\(s\) URL/);
    assert.match(failureOf({ PASSWORD_RESET_TTL_MINUTES: '0' }), /PASSWORD_RESET_TTL_MINUTES/);
    assert.match(failureOf({ INVITATION_TTL_HOURS: 'a week' }), /INVITATION_TTL_HOURS/);
    // Outside production the log stands in for the mail server, and the links point at the demo on PORT.
    const config = buildAppConfig(validateEnvironment({ JWT_SECRET: STRONG, PORT: '4100' }), 'postgres://x/y');
    assert.equal(config.mail?.smtpUrl, undefined);
    assert.equal(config.accounts?.publicAppUrl, 'http://localhost:4100/demo');
    assert.equal(config.accounts?.resetTokenTtlMinutes, 30);
    assert.equal(config.accounts?.invitationTokenTtlHours, 168);
  });

  it('never prints a secret it refuses', () => {
    const message = failureOf({ NODE_ENV: 'production', JWT_SECRET: 'hunter2-is-my-password', WORKOS_API_KEY: '' });
    assert.ok(!message.includes('hunter2'), message);
  });

  it('derives each key id from its secret, so old secrets listed for a rotation keep verifying their tokens', () => {
    const config = buildAppConfig(
      validateEnvironment({ JWT_SECRET: STRONG, JWT_PREVIOUS_SECRETS: 'old-secret-one, old-secret-two' }),
      'postgres://x/y',
    );
    assert.deepEqual(config.jwt.current, { kid: keyIdOf(STRONG), secret: STRONG });
    assert.deepEqual(
      config.jwt.previous.map((k) => k.kid),
      [keyIdOf('old-secret-one'), keyIdOf('old-secret-two')],
    );
  });

  it('outside production, generates a secret once and keeps it in the data directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'authgate-cfg-'));
    try {
      const first = buildAppConfig(validateEnvironment({ DATA_DIR: dir }), 'postgres://x/y');
      const second = buildAppConfig(validateEnvironment({ DATA_DIR: dir }), 'postgres://x/y');
      assert.equal(first.jwt.current.secret, second.jwt.current.secret);
      assert.equal(readFileSync(join(dir, 'jwt-secret'), 'utf8').trim(), first.jwt.current.secret);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops `npm start` with exit code 1 and the variable named, before touching any database', () => {
    const run = spawnSync(process.execPath, ['-r', '@swc-node/register', 'src/main.ts'], {
      env: { PATH: process.env.PATH, NODE_ENV: 'production', DATABASE_URL: 'postgres://127.0.0.1:1/none' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /Invalid configuration:\n {2}JWT_SECRET: required when NODE_ENV=production/);
  });
});
