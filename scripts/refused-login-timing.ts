/**
 * `node -r @swc-node/register scripts/refused-login-timing.ts [--accounts 40]`
 *
 * Measures whether a refused login's answer time tells real accounts from unknown
 * ones: the median answer time of refused logins whose password holds a NUL byte, for real accounts against unknown ones, on
 * `/api/auth/login` (by email) and `/api/workspace/auth/login` (by user name), at the
 * default bcrypt cost (12). One request per account and client IP, so no throttle budget
 * is in the way. A median per kind and the ratio between them; before the fix real
 * accounts took about 1.4× as long, enough to tell every one of them from an unknown one.
 *
 * Uses DATABASE_URL (a server where it may create and drop a scratch database), else a
 * throwaway embedded PostgreSQL.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import bcrypt from 'bcrypt';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app.factory';
import { dataSourceOptions } from '../src/platform/database/data-source-options';
import { startEmbeddedPostgres } from '../src/platform/database/embedded-postgres';
import { runMigrations } from '../src/platform/database/migrate';
import { Organization } from '../src/identity/organizations/organization.entity';
import { normalizeUserName } from '../src/identity/users/normalize';
import { AccessRole, User } from '../src/identity/users/user.entity';
import { ENTITIES } from '../src/entities';
import { testConfig } from '../test/support/test-app';

const COST = 12;
const arg = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function main(): Promise<void> {
  const accounts = arg('accounts', 40);
  let server = process.env.DATABASE_URL;
  const scratch = join('.data-bench', `timing-${process.pid}`);
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!server) {
    const embedded = await startEmbeddedPostgres(join(scratch, 'postgres'), { throwaway: true, database: 'postgres' });
    server = embedded.url;
    stopEmbedded = () => embedded.stop();
  }
  const name = `authgate_timing_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  try {
    await runMigrations(databaseUrl);
    const db = new DataSource(dataSourceOptions(databaseUrl, 2, undefined, undefined, ENTITIES));
    await db.initialize();
    const org = await db.getRepository(Organization).save({ name: 'timing', slug: `timing-${randomBytes(3).toString('hex')}`, sessionPolicy: {} });
    const hash = await bcrypt.hash('the-real-password-of-everyone', COST);
    const users: User[] = [];
    for (let i = 0; i < accounts; i++) {
      users.push(
        await db.getRepository(User).save({
          organizationId: org.id,
          email: `timing-${i}@acme.example`,
          userNameKey: normalizeUserName(`timing.${i}`),
          userName: `timing.${i}`,
          firstName: 'T',
          lastName: String(i),
          accessRole: AccessRole.MEMBER,
          passwordHash: hash,
        }),
      );
    }
    const app = await createApp(testConfig(databaseUrl, { bcryptCost: COST, trustProxy: ['127.0.0.1'], logLevel: 'silent' }));
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    let ip = 0;
    const timed = async (path: string, body: unknown): Promise<number> => {
      ip += 1;
      const started = process.hrtime.bigint();
      const res = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.${(ip >> 16) & 255}.${(ip >> 8) & 255}.${ip & 255}` },
        body: JSON.stringify(body),
      });
      await res.arrayBuffer();
      if (res.status !== 401 && res.status !== 400) throw new Error(`${path}: unexpected ${res.status}`);
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    const password = 'guess\u0000with-a-nul';
    // Warm-up: first requests pay for connections and compilation.
    for (let i = 0; i < 4; i++) await timed('/api/auth/login', { email: `warm-${i}@acme.example`, password });
    const samples = { authReal: [] as number[], authUnknown: [] as number[], workspaceReal: [] as number[], workspaceUnknown: [] as number[] };
    // Interleaved, so that load on the machine hits every kind alike.
    for (let i = 0; i < accounts; i++) {
      samples.authReal.push(await timed('/api/auth/login', { email: users[i].email, password }));
      samples.authUnknown.push(await timed('/api/auth/login', { email: `nobody-${i}@acme.example`, password }));
      samples.workspaceReal.push(await timed('/api/workspace/auth/login', { UserNameOrEmail: `timing.${i}`, Password: password }));
      samples.workspaceUnknown.push(await timed('/api/workspace/auth/login', { UserNameOrEmail: `nobody.${i}`, Password: password }));
    }
    await app.close();
    await db.destroy();
    const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)])) as Record<keyof typeof samples, number>;
    const ms = (v: number) => `${v.toFixed(1)} ms`;
    console.log(`refused logins with a NUL byte in the password, bcrypt cost ${COST}, ${accounts} accounts, one request each`);
    console.log(`  /api/auth/login            real ${ms(m.authReal)}  unknown ${ms(m.authUnknown)}  ratio ${(m.authReal / m.authUnknown).toFixed(2)}`);
    console.log(`  /api/workspace/auth/login  real ${ms(m.workspaceReal)}  unknown ${ms(m.workspaceUnknown)}  ratio ${(m.workspaceReal / m.workspaceUnknown).toFixed(2)}`);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
    await stopEmbedded?.();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
