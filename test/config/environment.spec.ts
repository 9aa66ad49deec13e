import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { EnvironmentError, validateEnvironment } from '../../src/platform/config/environment';
import { buildAppConfig, keyIdOf } from '../../src/platform/config/load-config';

const STRONG = 'q7Vx2mP9sL4kR8tY1wZ6nB3cF5hJ0dGe-strong-secret';

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
    assert.doesNotThrow(() => validateEnvironment({ NODE_ENV: 'production', JWT_SECRET: STRONG }));
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
