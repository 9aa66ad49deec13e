/**
 * The service's configuration in the benchmark: production's (NODE_ENV=production, its
 * Prometheus listener on, unless BENCH_METRICS=0; a log line per request, unless
 * BENCH_LOG_LEVEL says a higher level), no scheduled pruning (a run starting
 * at a random point of the interval would land in a random scenario).
 */
import { randomBytes } from 'node:crypto';
import type { AppConfig } from '../src/platform/config/app-config';
import { generatePrivateJwk, JwtAlgorithm } from '../src/platform/config/jwk-set';
import { keyIdOf } from '../src/platform/config/load-config';

export const POOL_SIZE = 10;

export interface BenchOptions {
  algorithm?: JwtAlgorithm;
  preparedStatements?: boolean;
}

export function benchConfig(databaseUrl: string, bcryptCost: number, options: BenchOptions = {}): AppConfig {
  const secret = randomBytes(32).toString('base64url');
  const algorithm = options.algorithm ?? 'HS256';
  return {
    env: 'production',
    port: 0,
    host: '127.0.0.1',
    dataDir: '.data-bench',
    database: { url: databaseUrl, poolSize: POOL_SIZE, ...(options.preparedStatements === undefined ? {} : { preparedStatements: options.preparedStatements }) },
    jwt: {
      ...(algorithm === 'HS256' ? {} : { algorithm, privateKeys: [generatePrivateJwk(algorithm)] }),
      current: { kid: keyIdOf(secret), secret },
      previous: [],
      issuer: 'authgate',
      audience: 'authgate-api',
    },
    mfa: { encryptionKey: randomBytes(32).toString('base64') },
    bcryptCost,
    refreshGraceSeconds: 10,
    sessionAbsoluteHours: 720,
    sessionCacheMs: 2000,
    impersonation: { tokenTtlSeconds: 600, sessionMaxMinutes: 60 },
    workos: { hostname: 'api.workos.com', https: true, timeoutMs: 5000, maxRetries: 1 },
    ssoRedirectUris: null,
    trustProxy: null,
    corsOrigins: [],
    // Production logs a line per request at info; BENCH_LOG_LEVEL=warn measures without those lines (their per-request cost).
    logLevel: process.env.BENCH_LOG_LEVEL ?? 'info',
    demoEnabled: false,
    retention: { intervalMinutes: 0 },
    // Production runs with its Prometheus listener; BENCH_METRICS=0 measures without it (the metrics' per-request cost).
    ...(process.env.BENCH_METRICS === '0' ? {} : { metrics: { port: 0 } }),
  };
}
