import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { PasswordHasher } from '../../src/auth/passwords/password-hasher.service';
import { FixtureRejectedError } from '../../src/fixtures/fixture-error';
import { loadFixture } from '../../src/fixtures/load-fixture';
import type { SeedSummary } from '../../src/fixtures/seed-summary';
import { validateFixture } from '../../src/fixtures/validate-fixture';
import type { AppConfig } from '../../src/platform/config/app-config';

export interface SeedRun {
  code: number;
  stdout: string;
  stderr: string;
}

const scratch = mkdtempSync(join(tmpdir(), 'authgate-seed-'));

/** A fixture written to a file of its own, as a user would hand it to `npm run seed`. */
export function fixtureFile(content: unknown): string {
  const file = join(scratch, `${randomBytes(4).toString('hex')}.json`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

/** The real command (`npm run seed -- …` runs exactly this) against `databaseUrl`. */
export function runSeedCommand(databaseUrl: string, args: string[]): Promise<SeedRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'scripts/seed.ts', ...args], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATABASE_URL: databaseUrl,
        BCRYPT_COST: '10',
        JWT_SECRET: randomBytes(32).toString('base64url'),
        DATA_DIR: scratch,
      },
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Validates and loads a fixture in-process, as the command does; throws FixtureRejectedError when refused. */
export async function seed(db: DataSource, config: AppConfig, input: unknown, options: { dryRun?: boolean } = {}): Promise<SeedSummary> {
  const result = validateFixture(input);
  if (!result.ok) throw new FixtureRejectedError(result.problems);
  return loadFixture(db, result.fixture, { hasher: new PasswordHasher(config), now: new Date(), ...options });
}

/** Every row the loader can write, in a stable order: two equal snapshots mean nothing changed. */
export async function snapshot(db: DataSource): Promise<Record<string, unknown[]>> {
  const q = (sql: string) => db.query<unknown[]>(sql);
  return {
    organizations: await q(`SELECT * FROM organizations ORDER BY slug`),
    users: await q(`SELECT * FROM users ORDER BY email`),
    workspaces: await q(`SELECT * FROM workspaces ORDER BY slug`),
    memberships: await q(`SELECT * FROM workspace_memberships ORDER BY workspace_id, user_id`),
    sessions: await q(`SELECT * FROM sessions ORDER BY id`),
  };
}

/** The contract's example (../shared/contract/fixtures.md), its elided values made real. */
export function contractExample(legacyHash: string): Record<string, unknown> {
  return {
    organizations: [
      {
        slug: 'acme',
        name: 'Acme',
        workosOrganizationId: 'org_01HACME',
        sessionPolicy: { enabled: true, idleTimeoutMinutes: 30, tokenExpiryHours: 8 },
      },
    ],
    users: [
      {
        email: 'admin@acme.example',
        organization: 'acme',
        firstName: 'Acme',
        lastName: 'Admin',
        accessRole: 'ADMIN',
        password: 'CorrectHorseBatteryStaple!',
        userName: 'acme.admin',
        conversationOpenPreference: 'split',
      },
      {
        email: 'legacy@acme.example',
        organization: 'acme',
        firstName: 'Lee',
        lastName: 'Gacy',
        accessRole: 'MEMBER',
        passwordHash: legacyHash,
        active: false,
      },
      {
        email: 'migrated@acme.example',
        organization: 'acme',
        firstName: 'Mia',
        lastName: 'Grated',
        accessRole: 'MEMBER',
        workosUserId: 'user_01HMIGRATED',
      },
    ],
    workspaces: [
      {
        slug: 'acme-eu',
        organization: 'acme',
        name: 'Acme Europe',
        locale: 'de-DE',
        timeZone: 'Europe/Berlin',
        dateTimeFormat: 'dd.MM.yyyy HH:mm',
        dateFormat: 'dd.MM.yyyy',
        timeFormat: 'HH:mm',
        regionCode: 'eu',
        modules: { Boards: true, Booking: false, CurrencyRates: true, EntitlementOperations: false, WorkInbox: true },
        roles: [
          { name: 'Agent', permissions: ['boards.read', 'inbox.reply'] },
          { name: 'Supervisor', permissions: ['boards.read', 'boards.write', 'reports.read'] },
        ],
      },
    ],
    memberships: [
      { workspace: 'acme-eu', email: 'admin@acme.example', userType: 1, onboardingStatus: 2, roles: ['Supervisor', 'Agent'], default: true },
    ],
  };
}
