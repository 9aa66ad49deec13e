import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { REFRESH_STATEMENTS } from '../src/sessions/sessions.repository';
import { generateRefreshToken, hashRefreshToken, sealSuccessor } from '../src/tokens/refresh-token.codec';

export interface Ceiling {
  prepared: boolean;
  perSecond: number;
  p99: number;
  /** This process's CPU time (user + system) per refresh: the client's share, beside the service's cpuMsPerRequest. */
  cpuMsPerRefresh: number;
}

type RunStatement = (statement: { name: string; text: string }, values: unknown[]) => Promise<{ rows: unknown[] }>;

/**
 * One rotation of `token` by the refresh's own two statements: the successor; null when
 * the exchange lost (the token stays the one to present); undefined when the token was
 * not found live. Shared by the ceiling and the bare node:http refresh
 * (bench/baselines.ts), so both run exactly the statements the service runs.
 */
export async function rotateStraight(run: RunStatement, token: string): Promise<string | null | undefined> {
  const found = await run(REFRESH_STATEMENTS.find, [hashRefreshToken(token)]);
  const row = found.rows[0] as { token_id: string } | undefined;
  if (!row) return undefined;
  const successor = generateRefreshToken();
  const exchanged = await run(REFRESH_STATEMENTS.exchange, [row.token_id, new Date(), randomUUID(), sealSuccessor(token, successor), hashRefreshToken(successor)]);
  return exchanged.rows.length === 1 ? successor : null;
}

/** `pool.query` of a statement, named (prepared once per connection) or not. */
export const statementRunner = (pool: Pool, prepared: boolean): RunStatement => (statement, values) =>
  pool.query(prepared ? { name: statement.name, text: statement.text, values } : { text: statement.text, values });

/**
 * The refresh's database ceiling: its own two statements (find the presented token with
 * its session, then the conditional exchange) straight through `pg`, with the service's
 * pool size and the benchmark's concurrency, no HTTP and no framework. Rotates real
 * tokens from `pool` (and puts the successors back), exactly as the service would.
 */
export async function refreshCeiling(databaseUrl: string, tokens: string[], options: { prepared: boolean; seconds: number; concurrency: number; poolSize: number }): Promise<Ceiling> {
  const pool = new Pool({ connectionString: databaseUrl, max: options.poolSize });
  // pool.end() resolves once each connection is asked to close, not once it has: the DROP DATABASE
  // WITH (FORCE) that follows can terminate one still closing, and an 'error' with no listener
  // would end the whole run ("terminating connection due to administrator command").
  pool.on('error', () => undefined);
  const run = statementRunner(pool, options.prepared);
  const latencies: number[] = [];
  const cpuBefore = process.cpuUsage();
  const until = Date.now() + options.seconds * 1000;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (Date.now() < until) {
        const token = tokens.shift();
        if (!token) return;
        const started = performance.now();
        const successor = await rotateStraight(run, token);
        if (successor === undefined) continue;
        latencies.push(performance.now() - started);
        tokens.push(successor ?? token);
      }
    }),
  );
  const cpu = process.cpuUsage(cpuBefore);
  await pool.end();
  latencies.sort((a, b) => a - b);
  return {
    prepared: options.prepared,
    perSecond: latencies.length / options.seconds,
    p99: Math.round(latencies[Math.floor(latencies.length * 0.99)] ?? 0),
    cpuMsPerRefresh: (cpu.user + cpu.system) / 1000 / Math.max(1, latencies.length),
  };
}
