import { Inject } from '@nestjs/common';
import type { ServerLimits } from '../http/server-limits';
import type { RetentionSettings } from '../retention/retention-rule';
import type { Environment } from './environment';
import type { JwtAlgorithm, PrivateJwk } from './jwk-set';

export interface JwtKey {
  kid: string;
  secret: string;
}

/** Typed, resolved configuration. Built once at start-up from the validated environment. */
export interface AppConfig {
  env: Environment['NODE_ENV'];
  port: number;
  host: string;
  dataDir: string;
  database: {
    url: string;
    poolSize: number;
    /**
     * Named prepared statements on the hot paths (DATABASE_PREPARED_STATEMENTS, default on).
     * Off behind a pooler that cannot keep them, such as PgBouncer < 1.21 in transaction mode.
     * Unset counts as on.
     */
    preparedStatements?: boolean;
  };
  jwt: {
    /** `JWT_ALGORITHM`; absent means HS256. */
    algorithm?: JwtAlgorithm;
    /** HS256: the signing secret (`JWT_SECRET`) and its kid. Unused with an asymmetric algorithm. */
    current: JwtKey;
    /** HS256: secrets that still verify (`JWT_PREVIOUS_SECRETS`). */
    previous: JwtKey[];
    /** EdDSA, ES256, RS256: `JWT_PRIVATE_KEYS`, the first one signs, all verify and are published. */
    privateKeys?: PrivateJwk[];
    issuer: string;
    audience: string;
  };
  /** MFA_ENCRYPTION_KEY (32 bytes, base64): seals the TOTP secrets at rest (src/mfa/crypto/secret-box.ts). */
  mfa: { encryptionKey: string };
  bcryptCost: number;
  refreshGraceSeconds: number;
  /**
   * REFRESH_TOKEN_COOKIE: the refresh token also travels in an httpOnly cookie (src/auth/refresh-cookie). Unset: off.
   * `inBody: false` (REFRESH_TOKEN_IN_BODY=false): only there, the JSON bodies leave it out. Unset: true.
   */
  refreshTokenCookie?: { secure: boolean; inBody?: boolean };
  sessionAbsoluteHours: number;
  sessionCacheMs: number;
  impersonation: { tokenTtlSeconds: number; sessionMaxMinutes: number };
  workos: {
    apiKey?: string;
    clientId?: string;
    hostname: string;
    port?: number;
    https: boolean;
    timeoutMs: number;
    maxRetries: number;
  };
  /** `null` means the development default: any http://localhost address. */
  ssoRedirectUris: string[] | null;
  redisUrl?: string;
  /** Failed-login throttling (src/throttle); unset fields take the defaults of README's configuration table. */
  throttle?: { ipFailuresPerHour?: number; redisKeyPrefix?: string };
  /**
   * How long a request waits for PostgreSQL (a pool connection, a query) and Redis
   * before it answers 503. Unset: the defaults that keep a frozen dependency inside
   * "503 within 5 s" (docs/security.md; data-source-options.ts). Not an environment
   * variable: the tests that count under bursts of 200 parallel logins raise them,
   * so that a loaded CI machine cannot turn a count into a 503.
   */
  dependencyTimeouts?: { poolWaitMs?: number; queryMs?: number; redisCommandMs?: number };
  /** `null` means no proxy is trusted: the client IP is the socket's. */
  trustProxy: string[] | null;
  corsOrigins: string[];
  logLevel: string;
  demoEnabled: boolean;
  /** Swagger UI at /api/docs and the document at /api/docs-json (API_DOCS_ENABLED); unset: on. */
  apiDocsEnabled?: boolean;
  /** Header, request, keep-alive and shutdown bounds (HTTP_*_TIMEOUT_MS, SHUTDOWN_TIMEOUT_MS); unset fields take the defaults. */
  http?: Partial<ServerLimits>;
  /** Outgoing email (src/mail); unset fields take its defaults, an unset smtpUrl writes emails to the log. */
  mail?: { smtpUrl?: string; from?: string; retryDelaysMs?: number[]; timeoutMs?: number };
  /** Invitations and password resets (src/accounts); unset fields take the defaults of docs/accounts.md's configuration table. */
  accounts?: { publicAppUrl?: string; resetTokenTtlMinutes?: number; invitationTokenTtlHours?: number };
  /** Prometheus `/metrics` on a listener of its own (METRICS_PORT; 0 = any free port). Unset: off. */
  metrics?: { port: number; host?: string };
  /** What the pruner deletes after how long (src/platform/retention); unset fields take the defaults, unset intervalMinutes = no scheduled runs. */
  retention?: Partial<RetentionSettings>;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
export const InjectConfig = () => Inject(APP_CONFIG);

export const splitList = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
