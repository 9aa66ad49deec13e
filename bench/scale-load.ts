/**
 * The scale run's bulk data, generated inside PostgreSQL (INSERT … SELECT over
 * generate_series: no row crosses the wire, which beats COPY from the client here), in
 * chunks so progress shows: `users` users of an organization of their own, one ended
 * session each (ended `endedDaysAgo` days ago, so past SESSION_RETENTION_DAYS' default of
 * 30: what a prune deletes), and `tokensPerSession` refresh tokens per session (a rotated
 * chain and its last, unrotated token, as a refreshed session leaves them).
 *
 * Ids are derived from the row number (md5 → uuid), so a chunk of tokens can name its
 * sessions without reading them back. Foreign keys are not checked row by row during the
 * load (session_replication_role = replica, for this connection only): every id is built
 * to exist. The tables' indexes and unique constraints are dropped for the load and built
 * again after it, from their own definitions read from the catalog (same names, same
 * definitions): one sorted build instead of millions of random insertions into trees
 * bigger than shared_buffers (5,000,000 tokens took over 5 minutes that way here).
 * Primary keys other tables reference stay.
 */
import { Client } from 'pg';
import { log } from './load';

export interface ScaleCounts {
  users: number;
  tokensPerSession: number;
  endedDaysAgo: number;
}

export const SCALE: ScaleCounts = { users: 1_000_000, tokensPerSession: 5, endedDaysAgo: 40 };

const CHUNK = 250_000;

async function chunked(db: Client, what: string, total: number, statement: string, params: (from: number, to: number) => unknown[]): Promise<void> {
  const started = Date.now();
  for (let from = 0; from < total; from += CHUNK) {
    const to = Math.min(total, from + CHUNK) - 1;
    await db.query(statement, params(from, to));
    log(`  ${what}: ${(to + 1).toLocaleString('en')} / ${total.toLocaleString('en')} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }
}

/** Drops `table`'s indexes and unique/primary constraints (but a primary key other tables reference); returns how to build them again. */
async function dropIndexes(db: Client, table: string): Promise<string[]> {
  const constraints = await db.query<{ name: string; def: string; referenced: boolean }>(
    `SELECT c.conname AS name, pg_get_constraintdef(c.oid) AS def,
            EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.confrelid = c.conrelid AND f.conrelid <> c.conrelid) AS referenced
       FROM pg_constraint c WHERE c.conrelid = $1::regclass AND c.contype IN ('p', 'u')`,
    [table],
  );
  const kept = constraints.rows.filter((c) => c.def.startsWith('PRIMARY KEY') && c.referenced).map((c) => c.name);
  const dropped = constraints.rows.filter((c) => !kept.includes(c.name));
  const indexes = await db.query<{ name: string; def: string }>(
    `SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE schemaname = 'public' AND tablename = $1 AND NOT indexname = ANY($2::text[])`,
    [table, constraints.rows.map((c) => c.name)],
  );
  for (const c of dropped) await db.query(`ALTER TABLE ${table} DROP CONSTRAINT "${c.name}"`);
  for (const i of indexes.rows) await db.query(`DROP INDEX "${i.name}"`);
  return [...dropped.map((c) => `ALTER TABLE ${table} ADD CONSTRAINT "${c.name}" ${c.def}`), ...indexes.rows.map((i) => i.def)];
}

/** Loads the bulk rows into `databaseUrl` (already migrated); returns the seconds it took. */
export async function loadScale(databaseUrl: string, passwordHash: string, counts: ScaleCounts = SCALE): Promise<number> {
  const started = Date.now();
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query(`SET session_replication_role = replica`);
    await db.query(`SET synchronous_commit = off`);
    await db.query(`SET maintenance_work_mem = '256MB'`);
    const rebuild: string[] = [];
    for (const table of ['users', 'sessions', 'refresh_tokens']) rebuild.push(...(await dropIndexes(db, table)));
    const org = (await db.query(`INSERT INTO organizations (slug, name) VALUES ('bench-scale', 'Bench scale') RETURNING id`)).rows[0].id as string;
    const day = 86_400_000;
    const endedAt = new Date(Date.now() - counts.endedDaysAgo * day);
    await chunked(
      db,
      'users',
      counts.users,
      `INSERT INTO users (id, organization_id, email, first_name, last_name, password_hash)
       SELECT md5('u' || i)::uuid, $1, 'scale' || i || '@bench.test', 'Scale', i::text, $2 FROM generate_series($3::int, $4::int) AS i`,
      (from, to) => [org, passwordHash, from, to],
    );
    await chunked(
      db,
      'sessions (ended)',
      counts.users,
      `INSERT INTO sessions (id, user_id, organization_id, method, created_at, last_activity_at, expires_at, ended_at, end_reason)
       SELECT md5('s' || i)::uuid, md5('u' || i)::uuid, $1, 'password', $2::timestamptz - interval '1 day', $2, $2::timestamptz + interval '29 days', $2, 'logout'
         FROM generate_series($3::int, $4::int) AS i`,
      (from, to) => [org, endedAt, from, to],
    );
    const n = counts.tokensPerSession;
    await chunked(
      db,
      'refresh tokens',
      counts.users * n,
      `INSERT INTO refresh_tokens (id, session_id, token_hash, created_at, rotated_at, successor_id)
       SELECT md5('t' || j)::uuid, md5('s' || (j / $1))::uuid, sha256(('t' || j)::bytea),
              $2::timestamptz - interval '1 hour' * ($1 - j % $1),
              CASE WHEN j % $1 < $1 - 1 THEN $2::timestamptz - interval '1 hour' * ($1 - 1 - j % $1) END,
              CASE WHEN j % $1 < $1 - 1 THEN md5('t' || (j + 1))::uuid END
         FROM generate_series($3::int, $4::int) AS j`,
      (from, to) => [n, endedAt, from, to],
    );
    const indexStarted = Date.now();
    for (const statement of rebuild) await db.query(statement);
    log(`  ${rebuild.length} indexes and constraints built again: ${((Date.now() - indexStarted) / 1000).toFixed(0)} s`);
    const vacuumStarted = Date.now();
    for (const table of ['users', 'sessions', 'refresh_tokens']) await db.query(`VACUUM (ANALYZE) ${table}`);
    log(`  VACUUM (ANALYZE) users, sessions, refresh_tokens: ${((Date.now() - vacuumStarted) / 1000).toFixed(0)} s`);
    return (Date.now() - started) / 1000;
  } finally {
    await db.end();
  }
}

/** Row counts and on-disk sizes of the three tables, for the report. */
export async function tableSizes(databaseUrl: string): Promise<string> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ t: string; n: string; size: string }>(
      `SELECT t, (xpath('/row/c/text()', query_to_xml('SELECT count(*) AS c FROM ' || t, false, true, '')))[1]::text AS n,
              pg_size_pretty(pg_total_relation_size(t)) AS size
         FROM unnest(ARRAY['users', 'sessions', 'refresh_tokens']) AS t`,
    );
    return rows.map((r) => `${r.t} ${Number(r.n).toLocaleString('en')} rows, ${r.size}`).join('; ');
  } finally {
    await db.end();
  }
}
