import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  validateSync,
} from 'class-validator';
import { JWT_ALGORITHMS, JwtAlgorithm, parsePrivateJwkSet, PrivateJwk } from './jwk-set';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
const toBool = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  return value;
};
const emptyToUndefined = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/**
 * Every environment variable the service reads. Validated once at start-up;
 * a bad value stops the process with a message naming the variable.
 * The README's configuration table documents each one.
 */
export class Environment {
  @IsOptional() @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt) @IsInt() @Min(0) @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  @Transform(emptyToUndefined) @IsOptional() @IsString()
  DATABASE_URL?: string;

  @Transform(toInt) @IsInt() @Min(1) @Max(200)
  DATABASE_POOL_SIZE = 10;

  /**
   * Named prepared statements on the hot paths (parsed once per connection). Turn off
   * behind a pooler in transaction mode that does not keep them (PgBouncer < 1.21).
   * On by default because direct to PostgreSQL they are faster (`npm run bench -- --prepared`,
   * docs/performance.md#prepared-statements) and direct is the default deployment.
   */
  @Transform(toBool) @IsBoolean()
  DATABASE_PREPARED_STATEMENTS = true;

  /** Port of the Prometheus /metrics listener (off when unset). */
  @Transform(toInt) @IsOptional() @IsInt() @Min(0) @Max(65535)
  METRICS_PORT?: number;

  /** Address of the /metrics listener (default: HOST). */
  @Transform(emptyToUndefined) @IsOptional() @IsString()
  METRICS_HOST?: string;

  /** Days an ended or expired session (and its refresh tokens) is kept. */
  @Transform(toInt) @IsInt() @Min(0) @Max(3650)
  SESSION_RETENTION_DAYS = 30;

  /** Days a used or expired single-use token (impersonation ticket, SSO state, reset/invitation link, MFA token) is kept. */
  @Transform(toInt) @IsInt() @Min(0) @Max(3650)
  TOKEN_RETENTION_DAYS = 7;

  /** Days audit events are kept; 0 keeps them forever. */
  @Transform(toInt) @IsInt() @Min(0) @Max(36500)
  AUDIT_RETENTION_DAYS = 400;

  /** Minutes between pruning runs of each instance (one at a time across instances); 0 = only `npm run prune`. */
  @Transform(toInt) @IsInt() @Min(0) @Max(10080)
  PRUNE_INTERVAL_MINUTES = 60;

  /** Rows deleted per pruning transaction. */
  @Transform(toInt) @IsInt() @Min(1) @Max(100000)
  PRUNE_BATCH_SIZE = 1000;

  @IsString()
  DATA_DIR = '.data';

  @Transform(emptyToUndefined) @IsOptional() @IsString()
  JWT_SECRET?: string;

  /** Previous signing secrets still accepted for verification (comma-separated). */
  @Transform(emptyToUndefined) @IsOptional() @IsString()
  JWT_PREVIOUS_SECRETS?: string;

  /** HS256 (the default: one shared secret) or an asymmetric algorithm whose public keys are published at /.well-known/jwks.json. */
  @IsIn(JWT_ALGORITHMS)
  JWT_ALGORITHM: JwtAlgorithm = 'HS256';

  /** A JWK Set of private keys (`{"keys":[…]}`, each with kid and alg): the first signs, all verify. Checked by checkJwtKeys. */
  @Transform(emptyToUndefined) @IsOptional() @IsString()
  JWT_PRIVATE_KEYS?: string;

  /** 32 random bytes, base64: the AES-256-GCM key of the TOTP secrets at rest. Generated under DATA_DIR outside production. */
  @Transform(emptyToUndefined) @IsOptional() @IsString()
  MFA_ENCRYPTION_KEY?: string;

  @IsString()
  JWT_ISSUER = 'authgate';

  @IsString()
  JWT_AUDIENCE = 'authgate-api';

  @Transform(toInt) @IsInt() @Min(10) @Max(15)
  BCRYPT_COST = 12;

  @Transform(toInt) @IsInt() @Min(1) @Max(300)
  REFRESH_GRACE_SECONDS = 10;

  /** Also hand the refresh token out in an httpOnly cookie, and take it back from there (docs/security.md#refresh-cookie). */
  @Transform(toBool) @IsBoolean()
  REFRESH_TOKEN_COOKIE = false;

  /** The cookie's Secure attribute; false only for plain-http development on an address browsers do not treat as secure. */
  @Transform(toBool) @IsBoolean()
  REFRESH_TOKEN_COOKIE_SECURE = true;

  /** false (with REFRESH_TOKEN_COOKIE): the JSON bodies leave refreshToken out, so no script ever sees it. */
  @Transform(toBool) @IsBoolean()
  REFRESH_TOKEN_IN_BODY = true;

  /** Absolute lifetime of a session, whatever its refreshes. */
  @Transform(toInt) @IsInt() @Min(1) @Max(8760)
  SESSION_ABSOLUTE_HOURS = 720;

  /** How stale a cached session liveness answer may be: a logout reaches every instance within it, so at most 5 s (docs/deployment.md). */
  @Transform(toInt) @IsInt() @Min(0) @Max(5000)
  SESSION_CACHE_MS = 2000;

  @Transform(toInt) @IsInt() @Min(10) @Max(600)
  IMPERSONATION_TOKEN_TTL_SECONDS = 120;

  @Transform(toInt) @IsInt() @Min(1) @Max(60)
  IMPERSONATION_SESSION_MAX_MINUTES = 60;

  @Transform(emptyToUndefined) @IsOptional() @IsString()
  WORKOS_API_KEY?: string;

  @Transform(emptyToUndefined) @IsOptional() @IsString()
  WORKOS_CLIENT_ID?: string;

  @IsString()
  WORKOS_API_HOSTNAME = 'api.workos.com';

  @Transform(toInt) @IsOptional() @IsInt() @Min(1) @Max(65535)
  WORKOS_API_PORT?: number;

  @Transform(toBool) @IsBoolean()
  WORKOS_API_HTTPS = true;

  @Transform(toInt) @IsInt() @Min(100) @Max(30000)
  WORKOS_TIMEOUT_MS = 5000;

  @Transform(toInt) @IsInt() @Min(0) @Max(3)
  WORKOS_MAX_RETRIES = 1;

  @Transform(emptyToUndefined) @IsOptional() @IsString()
  SSO_REDIRECT_URIS?: string;

  @Transform(emptyToUndefined) @IsOptional() @IsString()
  REDIS_URL?: string;

  /** Prefix of the throttling keys in Redis, so several deployments can share one server. */
  @IsString()
  REDIS_KEY_PREFIX = 'authgate:throttle:';

  /** Failed logins per client IP and hour, across accounts, before the IP is throttled (at least 100; docs/security.md, "Abuse"). */
  @Transform(toInt) @IsInt() @Min(100) @Max(1_000_000)
  THROTTLE_IP_FAILURES_PER_HOUR = 200;

  /** Comma-separated proxy addresses/CIDRs whose X-Forwarded-For is believed. */
  @Transform(emptyToUndefined) @IsOptional() @IsString()
  TRUST_PROXY?: string;

  /** Comma-separated SPA origins allowed by CORS. */
  @Transform(emptyToUndefined) @IsOptional() @IsString()
  CORS_ORIGINS?: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  @Transform(toBool) @IsBoolean()
  DEMO_ENABLED = false;

  /**
   * `npm start` loads the demo fixture into an empty database. Unset: on outside
   * production, off in production, where setting it true refuses to start.
   */
  @Transform(toBool) @IsOptional() @IsBoolean()
  SEED_DEMO_ON_EMPTY?: boolean;

  /** `smtp://user:pass@host:port` (or `smtps://` for implicit TLS). Unset outside production: emails go to the log. */
  @Transform(emptyToUndefined) @IsOptional() @Matches(/^smtps?:\/\/\S+$/, { message: 'SMTP_URL must look like smtp://user:pass@host:port or smtps://…' })
  SMTP_URL?: string;

  @IsString() @IsNotEmpty()
  MAIL_FROM = 'authgate <no-reply@localhost>';

  /** Where the links in emails point: the SPA's address; the reset and invitation pages sit under it. */
  @Transform(emptyToUndefined) @IsOptional() @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }, { message: 'PUBLIC_APP_URL must be an http(s) URL' })
  PUBLIC_APP_URL?: string;

  @Transform(toInt) @IsInt() @Min(5) @Max(1440)
  PASSWORD_RESET_TTL_MINUTES = 30;

  @Transform(toInt) @IsInt() @Min(1) @Max(720)
  INVITATION_TTL_HOURS = 168;

  /** Swagger UI at /api/docs and the OpenAPI document at /api/docs-json. */
  @Transform(toBool) @IsBoolean()
  API_DOCS_ENABLED = true;

  /** How long a client may take to send a request's headers. */
  @Transform(toInt) @IsInt() @Min(500) @Max(120_000)
  HTTP_HEADERS_TIMEOUT_MS = 10_000;

  /** How long a client may take to send a whole request, body included. */
  @Transform(toInt) @IsInt() @Min(500) @Max(600_000)
  HTTP_REQUEST_TIMEOUT_MS = 30_000;

  /** How long an idle keep-alive connection stays open (behind a load balancer: longer than its idle timeout). */
  @Transform(toInt) @IsInt() @Min(500) @Max(600_000)
  HTTP_KEEP_ALIVE_TIMEOUT_MS = 5_000;

  /** After SIGTERM, how long requests in flight may take before their connections are closed. */
  @Transform(toInt) @IsInt() @Min(0) @Max(600_000)
  SHUTDOWN_TIMEOUT_MS = 10_000;
}

/** Whether `npm start` loads the demo fixture into an empty database: never in production. */
export const seedsDemoOnEmpty = (env: Environment): boolean => env.NODE_ENV !== 'production' && env.SEED_DEMO_ON_EMPTY !== false;

export class EnvironmentError extends Error {}

/**
 * The asymmetric key set: parsed here so a malformed one stops the start naming the
 * variable; required in production (outside it, load-config generates one once).
 */
function checkJwtKeys(env: Environment): string | undefined {
  if (env.JWT_PRIVATE_KEYS !== undefined) {
    let keys: PrivateJwk[];
    try {
      keys = parsePrivateJwkSet(env.JWT_PRIVATE_KEYS);
    } catch (err) {
      return `JWT_PRIVATE_KEYS: ${(err as Error).message}`;
    }
    if (env.JWT_ALGORITHM === 'HS256') return 'JWT_PRIVATE_KEYS: set, but JWT_ALGORITHM is HS256; set JWT_ALGORITHM to the first key\'s alg';
    if (keys[0].alg !== env.JWT_ALGORITHM) {
      return `JWT_PRIVATE_KEYS: the first key signs, and its alg is ${keys[0].alg} while JWT_ALGORITHM is ${env.JWT_ALGORITHM}`;
    }
    return undefined;
  }
  if (env.JWT_ALGORITHM !== 'HS256' && env.NODE_ENV === 'production') {
    return `JWT_PRIVATE_KEYS: required when NODE_ENV=production and JWT_ALGORITHM=${env.JWT_ALGORITHM}`;
  }
  return undefined;
}

/** Weak or default-looking secrets refused in production (with HS256 only: an asymmetric algorithm signs with no secret). */
function checkJwtSecret(env: Environment): string | undefined {
  if (env.NODE_ENV !== 'production' || env.JWT_ALGORITHM !== 'HS256') return undefined;
  if (!env.JWT_SECRET) return 'JWT_SECRET: required when NODE_ENV=production';
  if (Buffer.byteLength(env.JWT_SECRET, 'utf8') < 32)
    return 'JWT_SECRET: must be at least 32 bytes when NODE_ENV=production';
  if (new Set(env.JWT_SECRET).size < 8)
    return 'JWT_SECRET: too little variety; use a random value (e.g. `openssl rand -base64 48`)';
  return undefined;
}

/**
 * Production is never a demo: no embedded database (it would start one under DATA_DIR and
 * load the demo fixture, whose password is published), no demo fixture.
 */
function checkProductionIsNoDemo(env: Environment): string[] {
  if (env.NODE_ENV !== 'production') return [];
  const problems: string[] = [];
  if (!env.DATABASE_URL) problems.push('DATABASE_URL: required when NODE_ENV=production (the embedded PostgreSQL is for development only)');
  if (env.SEED_DEMO_ON_EMPTY === true) problems.push('SEED_DEMO_ON_EMPTY: must not be true when NODE_ENV=production (the demo fixture has a published password)');
  return problems;
}

/** Emails in the log are for development: production sends them, with links to where the SPA really is. */
function checkMail(env: Environment): string[] {
  if (env.NODE_ENV !== 'production') return [];
  const problems: string[] = [];
  if (!env.SMTP_URL) problems.push('SMTP_URL: required when NODE_ENV=production (without it emails would only be logged)');
  if (!env.PUBLIC_APP_URL) problems.push("PUBLIC_APP_URL: required when NODE_ENV=production (the links in emails point there)");
  return problems;
}

/** A refresh token in a cookie without Secure would travel over plain http (development only); and it must reach the client somewhere. */
function checkRefreshCookie(env: Environment): string | undefined {
  if (env.NODE_ENV === 'production' && env.REFRESH_TOKEN_COOKIE && !env.REFRESH_TOKEN_COOKIE_SECURE) {
    return 'REFRESH_TOKEN_COOKIE_SECURE: must not be false when NODE_ENV=production (the refresh cookie would be sent over plain http)';
  }
  if (!env.REFRESH_TOKEN_IN_BODY && !env.REFRESH_TOKEN_COOKIE) {
    return 'REFRESH_TOKEN_IN_BODY: false needs REFRESH_TOKEN_COOKIE=true (the refresh token would reach the client nowhere)';
  }
  return undefined;
}

/** MFA_ENCRYPTION_KEY: exactly 32 bytes in base64; required in production (a generated development key would be lost with the container). */
function checkMfaKey(env: Environment): string | undefined {
  if (!env.MFA_ENCRYPTION_KEY) {
    return env.NODE_ENV === 'production' ? 'MFA_ENCRYPTION_KEY: required when NODE_ENV=production (32 random bytes, base64: `openssl rand -base64 32`)' : undefined;
  }
  const value = env.MFA_ENCRYPTION_KEY.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(value) || Buffer.from(value, 'base64').length !== 32) {
    return 'MFA_ENCRYPTION_KEY: must be 32 bytes in base64 (`openssl rand -base64 32`)';
  }
  return undefined;
}

export function validateEnvironment(raw: Record<string, unknown>): Environment {
  const env = plainToInstance(Environment, raw, { exposeDefaultValues: true });
  const errors = validateSync(env, { whitelist: false, skipMissingProperties: false });
  const messages = errors.map((e) => {
    const shown = ['SECRET', 'KEY', 'SMTP_URL'].some((word) => e.property.includes(word)) ? '(hidden)' : JSON.stringify(e.value);
    return `${e.property}: ${Object.values(e.constraints ?? {}).join('; ')} (got ${shown})`;
  });
  for (const problem of [checkJwtSecret(env), checkJwtKeys(env), checkRefreshCookie(env)]) if (problem) messages.push(problem);
  messages.push(...checkProductionIsNoDemo(env));
  messages.push(...checkMail(env));
  const mfaKeyProblem = checkMfaKey(env);
  if (mfaKeyProblem) messages.push(mfaKeyProblem);
  if (messages.length > 0) {
    throw new EnvironmentError(`Invalid configuration:\n  ${messages.join('\n  ')}`);
  }
  return env;
}
