import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig, JwtKey, splitList } from './app-config';
import { Environment } from './environment';
import { generatePrivateJwk, isAsymmetric, parsePrivateJwkSet, PrivateJwk } from './jwk-set';

/** A key id derived from the secret, so rotating the secret changes the `kid`. */
export const keyIdOf = (secret: string): string =>
  createHash('sha256').update(secret).digest('base64url').slice(0, 8);

/** A development secret kept under the data directory: generated at the first start, read back at every later one. */
function generatedOnce(dataDir: string, name: string, generate: () => string): string {
  const file = join(dataDir, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const value = generate();
  writeFileSync(file, value + '\n', { mode: 0o600 });
  return value;
}

/**
 * Outside production a missing JWT_SECRET is generated once and kept under the
 * data directory, so restarts do not log everyone out.
 */
const resolveJwtSecret = (env: Environment): string =>
  env.JWT_SECRET ?? generatedOnce(env.DATA_DIR, 'jwt-secret', () => randomBytes(48).toString('base64url'));

/**
 * Likewise MFA_ENCRYPTION_KEY (32 bytes, base64): losing it would make every
 * enrolled authenticator useless, so it is kept, never regenerated.
 */
const resolveMfaEncryptionKey = (env: Environment): string =>
  env.MFA_ENCRYPTION_KEY?.trim() ?? generatedOnce(env.DATA_DIR, 'mfa-encryption-key', () => randomBytes(32).toString('base64'));

/**
 * The asymmetric signing keys: `JWT_PRIVATE_KEYS` (already checked by validateEnvironment),
 * or outside production a key generated once and kept under the data directory (one file
 * per algorithm), so restarts neither sign anyone out nor change the published key.
 */
function resolvePrivateKeys(env: Environment): PrivateJwk[] {
  if (!isAsymmetric(env.JWT_ALGORITHM)) return [];
  if (env.JWT_PRIVATE_KEYS) return parsePrivateJwkSet(env.JWT_PRIVATE_KEYS);
  if (env.NODE_ENV === 'production') throw new Error(`JWT_PRIVATE_KEYS: required when NODE_ENV=production and JWT_ALGORITHM=${env.JWT_ALGORITHM}`);
  const file = join(env.DATA_DIR, `jwt-private-keys.${env.JWT_ALGORITHM}.json`);
  if (existsSync(file)) return parsePrivateJwkSet(readFileSync(file, 'utf8'));
  mkdirSync(env.DATA_DIR, { recursive: true });
  const keys = [generatePrivateJwk(env.JWT_ALGORITHM)];
  writeFileSync(file, JSON.stringify({ keys }, null, 2) + '\n', { mode: 0o600 });
  return keys;
}

/** Old secrets still accepted during a rotation; each keeps the `kid` it signed with (derived, like the current one's). */
function parsePreviousKeys(value: string | undefined): JwtKey[] {
  return splitList(value).map((secret) => ({ kid: keyIdOf(secret), secret }));
}

export function buildAppConfig(env: Environment, databaseUrl: string): AppConfig {
  // With an asymmetric algorithm no HMAC secret signs or verifies (key-ring.ts); production needs none, so none is generated there.
  const secret = isAsymmetric(env.JWT_ALGORITHM) && env.NODE_ENV === 'production' && !env.JWT_SECRET ? randomBytes(48).toString('base64url') : resolveJwtSecret(env);
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    dataDir: env.DATA_DIR,
    database: { url: databaseUrl, poolSize: env.DATABASE_POOL_SIZE, preparedStatements: env.DATABASE_PREPARED_STATEMENTS },
    jwt: {
      algorithm: env.JWT_ALGORITHM,
      privateKeys: resolvePrivateKeys(env),
      current: { kid: keyIdOf(secret), secret },
      previous: parsePreviousKeys(env.JWT_PREVIOUS_SECRETS),
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
    },
    mfa: { encryptionKey: resolveMfaEncryptionKey(env) },
    bcryptCost: env.BCRYPT_COST,
    refreshGraceSeconds: env.REFRESH_GRACE_SECONDS,
    ...(env.REFRESH_TOKEN_COOKIE ? { refreshTokenCookie: { secure: env.REFRESH_TOKEN_COOKIE_SECURE, inBody: env.REFRESH_TOKEN_IN_BODY } } : {}),
    sessionAbsoluteHours: env.SESSION_ABSOLUTE_HOURS,
    sessionCacheMs: env.SESSION_CACHE_MS,
    impersonation: {
      tokenTtlSeconds: env.IMPERSONATION_TOKEN_TTL_SECONDS,
      sessionMaxMinutes: env.IMPERSONATION_SESSION_MAX_MINUTES,
    },
    workos: {
      apiKey: env.WORKOS_API_KEY,
      clientId: env.WORKOS_CLIENT_ID,
      hostname: env.WORKOS_API_HOSTNAME,
      port: env.WORKOS_API_PORT,
      https: env.WORKOS_API_HTTPS,
      timeoutMs: env.WORKOS_TIMEOUT_MS,
      maxRetries: env.WORKOS_MAX_RETRIES,
    },
    ssoRedirectUris: env.SSO_REDIRECT_URIS ? splitList(env.SSO_REDIRECT_URIS) : null,
    redisUrl: env.REDIS_URL,
    throttle: { ipFailuresPerHour: env.THROTTLE_IP_FAILURES_PER_HOUR, redisKeyPrefix: env.REDIS_KEY_PREFIX },
    trustProxy: env.TRUST_PROXY ? splitList(env.TRUST_PROXY) : null,
    corsOrigins: splitList(env.CORS_ORIGINS),
    logLevel: env.LOG_LEVEL,
    demoEnabled: env.DEMO_ENABLED,
    apiDocsEnabled: env.API_DOCS_ENABLED,
    http: {
      headersTimeoutMs: env.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: env.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    },
    mail: { smtpUrl: env.SMTP_URL, from: env.MAIL_FROM },
    accounts: {
      publicAppUrl: env.PUBLIC_APP_URL ?? `http://localhost:${env.PORT}/demo`,
      resetTokenTtlMinutes: env.PASSWORD_RESET_TTL_MINUTES,
      invitationTokenTtlHours: env.INVITATION_TTL_HOURS,
    },
    ...(env.METRICS_PORT === undefined ? {} : { metrics: { port: env.METRICS_PORT, host: env.METRICS_HOST } }),
    retention: {
      sessionDays: env.SESSION_RETENTION_DAYS,
      tokenDays: env.TOKEN_RETENTION_DAYS,
      auditDays: env.AUDIT_RETENTION_DAYS,
      intervalMinutes: env.PRUNE_INTERVAL_MINUTES,
      batchSize: env.PRUNE_BATCH_SIZE,
    },
  };
}
