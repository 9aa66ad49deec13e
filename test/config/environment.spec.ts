import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { EnvironmentError, seedsDemoOnEmpty, validateEnvironment } from '../../src/platform/config/environment';
import { generatePrivateJwk } from '../../src/platform/config/jwk-set';
import { buildAppConfig, keyIdOf } from '../../src/platform/config/load-config';

const STRONG = 'q7Vx2mP9sL4kR8tY1wZ6nB3cF5hJ0dGe-strong-secret';
const PRODUCTION_MAIL = { SMTP_URL: 'smtps://mailer:pass@mail.example.com:465', PUBLIC_APP_URL: 'https://app.example.com' };
const MFA_KEY = Buffer.alloc(32, 7).toString('base64');

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
    assert.doesNotThrow(() => validateEnvironment({ NODE_ENV: 'production', JWT_SECRET: STRONG, DATABASE_URL: 'postgres://db/authgate', ...PRODUCTION_MAIL, MFA_ENCRYPTION_KEY: MFA_KEY }));
  });

  it('takes REFRESH_TOKEN_COOKIE, its Secure switch and REFRESH_TOKEN_IN_BODY as booleans; refuses a non-Secure refresh cookie in production and a token sent nowhere', () => {
    assert.match(failureOf({ REFRESH_TOKEN_COOKIE: 'sometimes' }), /^ {2}REFRESH_TOKEN_COOKIE: /m);
    assert.match(failureOf({ REFRESH_TOKEN_COOKIE_SECURE: 'maybe' }), /^ {2}REFRESH_TOKEN_COOKIE_SECURE: /m);
    const production = { NODE_ENV: 'production', JWT_SECRET: STRONG, DATABASE_URL: 'postgres://db/authgate', ...PRODUCTION_MAIL, MFA_ENCRYPTION_KEY: MFA_KEY };
    assert.match(
      failureOf({ ...production, REFRESH_TOKEN_COOKIE: 'true', REFRESH_TOKEN_COOKIE_SECURE: 'false' }),
      /REFRESH_TOKEN_COOKIE_SECURE: must not be false when NODE_ENV=production/,
    );
    assert.deepEqual(buildAppConfig(validateEnvironment({ ...production, REFRESH_TOKEN_COOKIE: 'true' }), 'postgres://db/authgate').refreshTokenCookie, { secure: true, inBody: true });
    assert.equal(buildAppConfig(validateEnvironment(production), 'postgres://db/authgate').refreshTokenCookie, undefined, 'off by default');
    const development = validateEnvironment({ JWT_SECRET: STRONG, MFA_ENCRYPTION_KEY: MFA_KEY, REFRESH_TOKEN_COOKIE: 'on', REFRESH_TOKEN_COOKIE_SECURE: 'off' });
    assert.deepEqual(buildAppConfig(development, 'postgres://db/dev').refreshTokenCookie, { secure: false, inBody: true }, 'plain http is for development');
    assert.match(failureOf({ REFRESH_TOKEN_IN_BODY: 'false' }), /REFRESH_TOKEN_IN_BODY: false needs REFRESH_TOKEN_COOKIE=true/);
    const cookieOnly = validateEnvironment({ ...production, REFRESH_TOKEN_COOKIE: 'true', REFRESH_TOKEN_IN_BODY: 'false' });
    assert.deepEqual(buildAppConfig(cookieOnly, 'postgres://db/authgate').refreshTokenCookie, { secure: true, inBody: false });
  });

  it('refuses a production start without DATABASE_URL, naming it: the embedded PostgreSQL is for development', () => {
    assert.match(failureOf({ NODE_ENV: 'production', JWT_SECRET: STRONG }), /DATABASE_URL: required when NODE_ENV=production/);
    assert.match(failureOf({ NODE_ENV: 'production', JWT_SECRET: STRONG, DATABASE_URL: '  ' }), /DATABASE_URL: required/);
    assert.doesNotThrow(() => validateEnvironment({ JWT_SECRET: STRONG }), 'outside production the embedded one starts');
  });

  it('never loads the demo fixture in production: off by default there, and SEED_DEMO_ON_EMPTY=true refuses to start', () => {
    const production = { NODE_ENV: 'production', JWT_SECRET: STRONG, DATABASE_URL: 'postgres://db/authgate', ...PRODUCTION_MAIL, MFA_ENCRYPTION_KEY: MFA_KEY };
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

  it('requires MFA_ENCRYPTION_KEY in production, and refuses one that is not 32 bytes of base64 (without echoing it)', () => {
    assert.match(failureOf({ NODE_ENV: 'production', JWT_SECRET: STRONG, DATABASE_URL: 'postgres://db/authgate', ...PRODUCTION_MAIL }), /MFA_ENCRYPTION_KEY: required when NODE_ENV=production/);
    const short = Buffer.alloc(16, 1).toString('base64');
    const message = failureOf({ MFA_ENCRYPTION_KEY: short });
    assert.match(message, /MFA_ENCRYPTION_KEY: must be 32 bytes in base64/);
    assert.ok(!message.includes(short));
    assert.match(failureOf({ MFA_ENCRYPTION_KEY: 'not base64 at all!' }), /MFA_ENCRYPTION_KEY: must be 32 bytes/);
    assert.equal(validateEnvironment({ MFA_ENCRYPTION_KEY: MFA_KEY }).MFA_ENCRYPTION_KEY, MFA_KEY);
  });

  it('generates the MFA encryption key once under DATA_DIR outside production, and keeps it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'authgate-mfa-key-'));
    try {
      const first = buildAppConfig(validateEnvironment({ DATA_DIR: dir }), 'postgres://x');
      const second = buildAppConfig(validateEnvironment({ DATA_DIR: dir }), 'postgres://x');
      assert.equal(Buffer.from(first.mfa.encryptionKey, 'base64').length, 32);
      assert.equal(second.mfa.encryptionKey, first.mfa.encryptionKey);
      assert.equal(readFileSync(join(dir, 'mfa-encryption-key'), 'utf8').trim(), first.mfa.encryptionKey);
      assert.equal(buildAppConfig(validateEnvironment({ DATA_DIR: dir, MFA_ENCRYPTION_KEY: MFA_KEY }), 'postgres://x').mfa.encryptionKey, MFA_KEY);
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

const set = (...keys: object[]) => JSON.stringify({ keys });

describe('JWT_ALGORITHM and JWT_PRIVATE_KEYS, validated at start-up', () => {
  it('defaults to HS256 and takes EdDSA, ES256 and RS256; any other value names the variable', () => {
    assert.equal(validateEnvironment({}).JWT_ALGORITHM, 'HS256');
    for (const alg of ['EdDSA', 'ES256', 'RS256']) assert.equal(validateEnvironment({ JWT_ALGORITHM: alg }).JWT_ALGORITHM, alg);
    assert.match(failureOf({ JWT_ALGORITHM: 'HS512' }), /^ {2}JWT_ALGORITHM: /m);
    assert.match(failureOf({ JWT_ALGORITHM: 'none' }), /^ {2}JWT_ALGORITHM: /m);
  });

  it('accepts a JWK Set of private keys whose first key is of JWT_ALGORITHM, other algorithms after it', () => {
    const keys = set(generatePrivateJwk('ES256'), generatePrivateJwk('EdDSA'), generatePrivateJwk('RS256'));
    const config = buildAppConfig(validateEnvironment({ JWT_ALGORITHM: 'ES256', JWT_PRIVATE_KEYS: keys }), 'postgres://x/y');
    assert.deepEqual(config.jwt.privateKeys?.map((k) => k.alg), ['ES256', 'EdDSA', 'RS256']);
  });

  it('stops on a malformed key set with a message naming JWT_PRIVATE_KEYS, never echoing key material', () => {
    const good = generatePrivateJwk('EdDSA');
    const { d: _d, ...publicOnly } = good;
    const cases: [string, string, RegExp][] = [
      ['not JSON', '{"keys": [', /not JSON/],
      ['no keys', '{"keys": []}', /at least one key/],
      ['a bare key, not a set', JSON.stringify(good), /JWK Set/],
      ['no kid', set({ ...good, kid: undefined }), /keys\[0\]: "kid"/],
      ['a kid twice', set(good, { ...generatePrivateJwk('EdDSA'), kid: good.kid }), /keys\[1\]: "kid" .* appears twice/],
      ['no alg', set({ ...good, alg: undefined }), /keys\[0\]: "alg" must be one of EdDSA, ES256, RS256/],
      ['an HMAC alg', set({ ...good, alg: 'HS256' }), /keys\[0\]: "alg"/],
      ['a public key only', set(publicOnly), /keys\[0\]: not a private key/],
      ['a broken key', set({ ...good, d: 'AAAA' }), /keys\[0\]: not a valid private JWK/],
      ['a key of another type than its alg', set({ ...generatePrivateJwk('ES256'), alg: 'EdDSA' }), /keys\[0\]: EdDSA needs an Ed25519 key/],
      ['use enc', set({ ...good, use: 'enc' }), /keys\[0\]: "use"/],
    ];
    for (const [what, value, reason] of cases) {
      const message = failureOf({ JWT_ALGORITHM: 'EdDSA', JWT_PRIVATE_KEYS: value });
      assert.match(message, /^ {2}JWT_PRIVATE_KEYS: /m, what);
      assert.match(message, reason, `${what}: ${message}`);
      assert.ok(!message.includes(good.d as string), `${what} printed the private key`);
    }
    const rsa1024 = spawnSync(process.execPath, ['-e', `
      const { generateKeyPairSync } = require('node:crypto');
      const jwk = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'jwk' });
      process.stdout.write(JSON.stringify({ ...jwk, kid: 'short', alg: 'RS256' }));`], { encoding: 'utf8' }).stdout;
    assert.match(failureOf({ JWT_ALGORITHM: 'RS256', JWT_PRIVATE_KEYS: set(JSON.parse(rsa1024)) }), /at least 2048 bits/);
  });

  it('stops when the first key is not of JWT_ALGORITHM, or keys are given with HS256', () => {
    const keys = set(generatePrivateJwk('EdDSA'));
    assert.match(failureOf({ JWT_ALGORITHM: 'ES256', JWT_PRIVATE_KEYS: keys }), /JWT_PRIVATE_KEYS: the first key signs, and its alg is EdDSA while JWT_ALGORITHM is ES256/);
    assert.match(failureOf({ JWT_PRIVATE_KEYS: keys }), /JWT_PRIVATE_KEYS: set, but JWT_ALGORITHM is HS256/);
  });

  it('refuses a production start with an asymmetric algorithm and no keys; needs no JWT_SECRET then', () => {
    assert.match(failureOf({ NODE_ENV: 'production', JWT_ALGORITHM: 'EdDSA' }), /JWT_PRIVATE_KEYS: required when NODE_ENV=production and JWT_ALGORITHM=EdDSA/);
    const env = validateEnvironment({ ...PRODUCTION_MAIL, MFA_ENCRYPTION_KEY: MFA_KEY, NODE_ENV: 'production', DATABASE_URL: 'postgres://db/authgate', JWT_ALGORITHM: 'EdDSA', JWT_PRIVATE_KEYS: set(generatePrivateJwk('EdDSA')) });
    const dir = mkdtempSync(join(tmpdir(), 'authgate-keys-'));
    try {
      buildAppConfig({ ...env, DATA_DIR: dir }, 'postgres://x/y');
      assert.deepEqual(readdirSync(dir), [], 'nothing generated in production');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('outside production, generates one key per algorithm once, under the data directory, readable by the owner only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'authgate-keys-'));
    try {
      const first = buildAppConfig(validateEnvironment({ DATA_DIR: dir, JWT_ALGORITHM: 'EdDSA' }), 'postgres://x/y');
      const second = buildAppConfig(validateEnvironment({ DATA_DIR: dir, JWT_ALGORITHM: 'EdDSA' }), 'postgres://x/y');
      assert.equal(first.jwt.privateKeys?.length, 1);
      assert.deepEqual(second.jwt.privateKeys, first.jwt.privateKeys);
      const file = join(dir, 'jwt-private-keys.EdDSA.json');
      assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')).keys, first.jwt.privateKeys);
      assert.equal(statSync(file).mode & 0o777, 0o600);
      const es = buildAppConfig(validateEnvironment({ DATA_DIR: dir, JWT_ALGORITHM: 'ES256' }), 'postgres://x/y');
      assert.equal(es.jwt.privateKeys?.[0].alg, 'ES256');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops `npm start` with exit code 1 naming JWT_PRIVATE_KEYS when the set is malformed', () => {
    const run = spawnSync(process.execPath, ['-r', '@swc-node/register', 'src/main.ts'], {
      env: { PATH: process.env.PATH, JWT_ALGORITHM: 'EdDSA', JWT_PRIVATE_KEYS: '{"keys":[{"kid":"a"}]}', DATABASE_URL: 'postgres://127.0.0.1:1/none' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /Invalid configuration:\n {2}JWT_PRIVATE_KEYS: keys\[0\]: "alg" must be one of/);
  });
});
