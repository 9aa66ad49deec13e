import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { InjectionToken } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { BuildApp, createApp } from '../../src/app.factory';
import type { Clock } from '../../src/platform/clock';
import type { AppConfig } from '../../src/platform/config/app-config';
import { keyIdOf } from '../../src/platform/config/load-config';
import { createTestDatabase, TestDatabase } from './database';

export type ConfigOverrides = { [K in keyof AppConfig]?: AppConfig[K] extends object ? Partial<AppConfig[K]> : AppConfig[K] };

/** A complete configuration for tests: cheap bcrypt, quiet logs, a random signing key. */
export function testConfig(databaseUrl: string, overrides: ConfigOverrides = {}): AppConfig {
  const secret = randomBytes(32).toString('base64url');
  const base: AppConfig = {
    env: 'test',
    port: 0,
    host: '127.0.0.1',
    dataDir: '.data-test',
    // Behind `npm test`'s PgBouncer (TEST_PGBOUNCER=1, transaction pooling, 1.18) named prepared statements cannot work.
    database: { url: databaseUrl, poolSize: 10, preparedStatements: process.env.TEST_POOLED_DATABASE_URL === undefined },
    jwt: { current: { kid: keyIdOf(secret), secret }, previous: [], issuer: 'authgate', audience: 'authgate-api' },
    mfa: { encryptionKey: randomBytes(32).toString('base64') },
    bcryptCost: 10,
    refreshGraceSeconds: 10,
    sessionAbsoluteHours: 720,
    sessionCacheMs: 2000,
    impersonation: { tokenTtlSeconds: 120, sessionMaxMinutes: 60 },
    workos: { hostname: 'api.workos.com', https: true, timeoutMs: 5000, maxRetries: 0 },
    ssoRedirectUris: null,
    trustProxy: null,
    corsOrigins: [],
    logLevel: 'silent',
    demoEnabled: false,
  };
  const merged = { ...base } as Record<string, unknown>;
  for (const [key, value] of Object.entries(overrides)) {
    const current = merged[key];
    merged[key] =
      value && typeof value === 'object' && !Array.isArray(value) && current && typeof current === 'object'
        ? { ...current, ...value }
        : value;
  }
  return merged as unknown as AppConfig;
}

export interface TestApp {
  url: string;
  app: NestFastifyApplication;
  config: AppConfig;
  /** The app's own TypeORM connection, for asserting on what is in the database. */
  db: DataSource;
  /** Every log line the app wrote, when started with `captureLogs`. */
  logs: string[];
  close(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  config?: ConfigOverrides;
  captureLogs?: boolean;
  /** Reuse a database (a second instance of the app on the same data). */
  databaseUrl?: string;
  /** Providers replaced in the app's module graph, e.g. a counting bcrypt binding. */
  overrides?: ProviderOverride[];
}

export interface ProviderOverride {
  provide: InjectionToken;
  useValue: unknown;
}

/** The root module compiled as a testing module, so a test can replace a provider instead of patching a module. */
const withOverrides =
  (overrides: ProviderOverride[]): BuildApp =>
  async (root, adapter, appOptions) => {
    const builder = Test.createTestingModule({ imports: [root] });
    for (const { provide, useValue } of overrides) builder.overrideProvider(provide).useValue(useValue);
    const moduleRef = await builder.compile();
    return moduleRef.createNestApplication<NestFastifyApplication>(adapter, appOptions);
  };

/** The real application on a real port, on a database of its own (or a shared one). */
export async function startTestApp(options: StartOptions = {}): Promise<TestApp & { database?: TestDatabase }> {
  const database = options.databaseUrl ? undefined : await createTestDatabase();
  const config = testConfig(options.databaseUrl ?? (database as TestDatabase).url, {
    ...(options.captureLogs ? { logLevel: 'debug' } : {}),
    ...options.config,
  });
  const logs: string[] = [];
  let destination: PassThrough | undefined;
  if (options.captureLogs) {
    destination = new PassThrough();
    destination.on('data', (chunk: Buffer) => logs.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
  }
  const build = options.overrides ? withOverrides(options.overrides) : undefined;
  const app = await createApp(config, { clock: options.clock, logDestination: destination }, build);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    config,
    db: app.get(DataSource),
    logs,
    database,
    async close() {
      await app.close();
      await database?.drop();
    },
  };
}
