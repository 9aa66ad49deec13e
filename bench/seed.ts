/**
 * The benchmark's databases: created and dropped on the server it was given, migrated by
 * the checkout that will run on them, and seeded with the small run's data (51 users, a
 * workspace, N live sessions whose refresh tokens the refresh scenario rotates).
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { generateRefreshToken, hashRefreshToken } from '../src/tokens/refresh-token.codec';
import { PASSWORD } from './load';
import { migrate } from './service';

export const USERS = 50;

/** Every database this run created and has not dropped yet, so a failed or interrupted run drops them too. */
const created = new Map<string, BenchDatabase>();

export async function dropAllDatabases(): Promise<void> {
  for (const d of [...created.values()]) await d.drop();
}

export interface BenchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh database on `serverUrl`'s server (`name`, or a random authgate_bench_* one), migrated by `checkout`. */
export async function createDatabase(serverUrl: string, checkout: string, name = `authgate_bench_${randomBytes(4).toString('hex')}`): Promise<BenchDatabase> {
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database: BenchDatabase = {
    name,
    url: url.toString(),
    async drop() {
      created.delete(name);
      const c = new Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
  created.set(name, database);
  migrate(checkout, database.url);
  return database;
}

export interface Seeded {
  organizationId: string;
  members: string[];
  /** Live refresh tokens, one per session. */
  refreshPool: string[];
  memberEmails: string[];
}

/** The small run's data: `USERS` members and an admin sharing one bcrypt hash, a workspace, `sessions` live sessions. */
export async function seedSmall(databaseUrl: string, hash: string, sessions: number): Promise<Seeded> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const org = (await db.query(`INSERT INTO organizations (slug, name) VALUES ('bench', 'Bench') RETURNING id`)).rows[0].id as string;
    await db.query(
      `INSERT INTO users (organization_id, email, first_name, last_name, access_role, password_hash) VALUES ($1, 'admin@bench.test', 'Bench', 'Admin', 'ADMIN', $2)`,
      [org, hash],
    );
    // members[i] is user<i>: the impersonation scenario pairs a user's id with its email.
    const members = (
      await db.query<{ id: string }>(
        `WITH u AS (
           INSERT INTO users (organization_id, email, user_name, user_name_key, first_name, last_name, password_hash)
           SELECT $1, 'user' || i || '@bench.test', 'user' || i, 'user' || i, 'User', i::text, $2 FROM generate_series(0, $3 - 1) AS i
           RETURNING id, last_name
         ) SELECT id FROM u ORDER BY last_name::int`,
        [org, hash, USERS],
      )
    ).rows.map((r) => r.id);
    const ws = (
      await db.query(
        `INSERT INTO workspaces (organization_id, slug, name, locale, time_zone, date_time_format, date_format, time_format, region_code, modules, roles)
         VALUES ($1, 'bench-ws', 'Bench', 'en-GB', 'Europe/London', 'dd/MM/yyyy HH:mm', 'dd/MM/yyyy', 'HH:mm', 'eu',
                 '{"Boards":true,"WorkInbox":true}', '[{"name":"Agent","permissions":["a.read","b.write"]}]') RETURNING id`,
        [org],
      )
    ).rows[0].id as string;
    await db.query(
      `INSERT INTO workspace_memberships (workspace_id, user_id, user_type, onboarding_status, roles, is_default)
       SELECT $1, unnest($2::uuid[]), 0, 2, '{Agent}', true`,
      [ws, members],
    );
    const refreshPool: string[] = [];
    const now = new Date();
    const expires = new Date(now.getTime() + 24 * 3600_000);
    for (let i = 0; i < sessions; i += 1000) {
      const users: string[] = [];
      const hashes: Buffer[] = [];
      for (let j = i; j < Math.min(sessions, i + 1000); j++) {
        const token = generateRefreshToken();
        refreshPool.push(token);
        users.push(members[j % members.length]);
        hashes.push(hashRefreshToken(token));
      }
      await db.query(
        `WITH input AS (SELECT * FROM unnest($1::uuid[], $2::bytea[]) WITH ORDINALITY AS t(user_id, token_hash, n)),
         s AS (
           INSERT INTO sessions (user_id, organization_id, method, created_at, last_activity_at, expires_at)
           SELECT user_id, $3, 'password', $4, $4, $5 FROM input ORDER BY n RETURNING id, user_id
         ), numbered AS (SELECT id, row_number() OVER () AS n FROM s)
         INSERT INTO refresh_tokens (session_id, token_hash, created_at)
         SELECT numbered.id, input.token_hash, $4 FROM numbered JOIN input USING (n)`,
        [users, hashes, org, now, expires],
      );
    }
    return { organizationId: org, members, refreshPool, memberEmails: members.map((_, i) => `user${i}@bench.test`) };
  } finally {
    await db.end();
  }
}

export const bcryptHashOf = async (cost: number): Promise<string> => (await import('bcrypt')).default.hash(PASSWORD, cost);
