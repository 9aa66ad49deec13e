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

/**
 * The refresh's database ceiling: its own two statements (find the presented token with
 * its session, then the conditional exchange) straight through `pg`, with the service's
 * pool size and the benchmark's concurrency, no HTTP and no framework. Rotates real
 * tokens from `pool` (and puts the successors back), exactly as the service would.
 */
export async function refreshCeiling(databaseUrl: string, tokens: string[], options: { prepared: boolean; seconds: number; concurrency: number; poolSize: number }): Promise<Ceiling> {
  const pool = new Pool({ connectionString: databaseUrl, max: options.poolSize });
  const run = (statement: { name: string; text: string }, values: unknown[]) =>
    pool.query(options.prepared ? { name: statement.name, text: statement.text, values } : { text: statement.text, values });
  const latencies: number[] = [];
  const cpuBefore = process.cpuUsage();
  const until = Date.now() + options.seconds * 1000;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (Date.now() < until) {
        const token = tokens.shift();
        if (!token) return;
        const started = performance.now();
        const found = await run(REFRESH_STATEMENTS.find, [hashRefreshToken(token)]);
        const row = found.rows[0] as { token_id: string } | undefined;
        if (!row) continue;
        const successor = generateRefreshToken();
        const exchanged = await run(REFRESH_STATEMENTS.exchange, [row.token_id, new Date(), randomUUID(), sealSuccessor(token, successor), hashRefreshToken(successor)]);
        latencies.push(performance.now() - started);
        tokens.push(exchanged.rows.length === 1 ? successor : token);
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
