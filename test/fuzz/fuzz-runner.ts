import http from 'node:http';
import fc from 'fast-check';
import { anyRequest, FuzzContext, FuzzRequest } from './arbitraries';
import { fetchOperations, Operation } from './openapi-operations';
import { FuzzResponse, violationsOf } from './properties';

export interface FuzzOptions {
  baseUrl: string;
  runs: number;
  seed: number;
  context: FuzzContext;
  /** Requests in flight at once (keep-alive sockets). */
  concurrency?: number;
  /** Requests generated per fast-check sample; request i of chunk c is reproducible from (seed + c). */
  chunkSize?: number;
  onProgress?: (done: number, stats: FuzzStats) => void;
  /** Called after each chunk, e.g. to re-login a session the fuzzer logged out. */
  afterChunk?: () => Promise<void>;
}

export interface Finding {
  violation: string;
  request: FuzzRequest;
  response: FuzzResponse;
  chunkSeed: number;
  index: number;
}

export interface FuzzStats {
  seed: number;
  requests: number;
  operations: Operation[];
  /** Status code counts per operation (`METHOD /path`). */
  byOperation: Map<string, Map<number, number>>;
  /** First occurrence of each distinct violation, and how often it happened. */
  findings: Map<string, { first: Finding; count: number }>;
  transportErrors: number;
}

const agentFor = (concurrency: number) => new http.Agent({ keepAlive: true, maxSockets: concurrency });

/** One request on a keep-alive socket: raw path, repeated headers and raw body as generated. */
export function send(baseUrl: string, req: FuzzRequest, agent: http.Agent): Promise<FuzzResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    // Raw header arrays get no Host from node: HTTP/1.1 requires one.
    const headers: string[] = ['host', url.host];
    for (const [name, value] of req.headers) headers.push(name, value);
    if (req.body !== undefined) headers.push('content-length', String(req.body.length));
    const r = http.request(
      { host: url.hostname, port: url.port, method: req.method, path: req.path, headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    r.setTimeout(30_000, () => r.destroy(new Error('request timed out')));
    r.on('error', reject);
    r.end(req.body);
  });
}

async function pool<T>(items: T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await work(items[i], i);
      }
    }),
  );
}

/**
 * Generates `runs` requests from the app's OpenAPI document with fast-check
 * (deterministic for a seed), sends them, and checks every answer against the
 * properties of properties.ts. Never throws for a finding: returns them all.
 */
export async function runFuzz(options: FuzzOptions): Promise<FuzzStats> {
  const { baseUrl, runs, seed, context } = options;
  const concurrency = options.concurrency ?? 6;
  const chunkSize = options.chunkSize ?? 500;
  const operations = await fetchOperations(baseUrl);
  const stats: FuzzStats = { seed, requests: 0, operations, byOperation: new Map(), findings: new Map(), transportErrors: 0 };
  const agent = agentFor(concurrency);
  try {
    for (let chunk = 0; stats.requests < runs; chunk++) {
      const chunkSeed = (seed + chunk) | 0;
      const arb = anyRequest(operations, context);
      const batch = fc.sample(arb, { seed: chunkSeed, numRuns: Math.min(chunkSize, runs - stats.requests) });
      await pool(batch, concurrency, async (req, index) => {
        let res: FuzzResponse;
        try {
          res = await send(baseUrl, req, agent);
        } catch (err) {
          stats.transportErrors += 1;
          res = { status: 0, headers: {}, text: err instanceof Error ? err.message : String(err) };
        }
        stats.requests += 1;
        const counts = stats.byOperation.get(req.operation) ?? new Map<number, number>();
        counts.set(res.status, (counts.get(res.status) ?? 0) + 1);
        stats.byOperation.set(req.operation, counts);
        const violations = res.status === 0 ? [`no answer: ${res.text}`] : violationsOf(req, res);
        for (const v of violations) {
          const key = `${req.operation} ${v}`;
          const seen = stats.findings.get(key);
          if (seen) seen.count += 1;
          else stats.findings.set(key, { first: { violation: v, request: req, response: res, chunkSeed, index }, count: 1 });
        }
      });
      options.onProgress?.(stats.requests, stats);
      await options.afterChunk?.();
    }
  } finally {
    agent.destroy();
  }
  return stats;
}

const clip = (s: string, n = 300) => (s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);

/** The findings, each with a request one can replay by hand. */
export function describeFindings(stats: FuzzStats): string {
  const lines: string[] = [];
  for (const [key, { first, count }] of stats.findings) {
    const { request: req, response: res } = first;
    lines.push(
      `✗ ${key} ×${count} (chunk seed ${first.chunkSeed}, #${first.index}, body ${req.shape})`,
      `  ${req.method} ${clip(req.path, 200)}`,
      ...req.headers.map(([k, v]) => `  ${k}: ${clip(v, 120)}`),
      req.body ? `  body: ${clip(JSON.stringify(req.body.toString('utf8')))}` : '  (no body)',
      `  → ${res.status} ${clip(res.text)}`,
    );
  }
  return lines.join('\n');
}

/** Status counts per operation, one line each: shows which handlers the fuzzer reached. */
export function describeCoverage(stats: FuzzStats): string {
  return [...stats.byOperation.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([op, counts]) => {
      const total = [...counts.values()].reduce((a, b) => a + b, 0);
      const parts = [...counts.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`);
      return `  ${op.padEnd(48)} ${String(total).padStart(6)}  ${parts.join(' ')}`;
    })
    .join('\n');
}
