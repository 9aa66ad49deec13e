/**
 * The load: autocannon runs against a service, one row each, and the request shapes of
 * the scenarios every mode shares (password login, refresh, me, verify).
 */
import autocannon from 'autocannon';
import type { ProcessSampler } from './service';

export interface Row {
  name: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  total: number;
  /** The service's peak RSS during this scenario (none for the baselines). */
  rssPeakMiB?: number;
  /**
   * The service process's CPU time (user + system) per answered request: what one request
   * costs its one thread, whatever the machine's other processes are doing.
   */
  cpuMsPerRequest?: number;
}

export const log = (msg: string) => process.stdout.write(`${msg}\n`);

export const PASSWORD = 'CorrectHorseBatteryStaple!';

/** A fresh object each time: autocannon adds content-length to the headers it is given. */
export const json = (): Record<string, string> => ({ 'content-type': 'application/json' });

/** One autocannon run; `rss` watches the service so the row gets its own RSS peak and CPU per request. */
export async function cannon(name: string, opts: autocannon.Options & { duration: number }, rss?: ProcessSampler): Promise<Row> {
  const from = rss?.samples.length ?? 0;
  const cpuBefore = rss?.cpuMs() ?? NaN;
  const result = await autocannon(opts);
  const cpuMs = (rss?.cpuMs() ?? NaN) - cpuBefore;
  const during = rss?.samples.slice(from) ?? [];
  const row: Row = {
    name,
    reqPerSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    total: result.requests.total,
    ...(during.length > 0 ? { rssPeakMiB: Math.max(...during.map((s) => s.rssMiB)) } : {}),
    ...(Number.isFinite(cpuMs) && result.requests.total > 0 ? { cpuMsPerRequest: cpuMs / result.requests.total } : {}),
  };
  const rssNote =
    (row.rssPeakMiB === undefined ? '' : `, RSS peak ${row.rssPeakMiB.toFixed(0)} MiB`) +
    (row.cpuMsPerRequest === undefined ? '' : `, service CPU ${row.cpuMsPerRequest.toFixed(3)} ms/request`);
  log(`  ${name}: ${row.reqPerSec.toFixed(1)} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms, non-2xx ${row.non2xx}, errors ${row.errors}${rssNote}`);
  return row;
}

/** Password logins cycling over `emails`. */
export function loginLoad(base: string, emails: string[], connections: number, duration: number): autocannon.Options & { duration: number } {
  let u = 0;
  return {
    url: `${base}/api/auth/login`,
    connections,
    duration,
    requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, headers: json(), body: JSON.stringify({ email: emails[u++ % emails.length], password: PASSWORD }) }) }],
  };
}

/**
 * Rotations drawing live tokens from `pool` and putting each successor back, so every
 * request is a real rotation (when the pool runs dry the request goes to /api/health).
 */
export function refreshLoad(base: string, pool: string[], connections: number, duration: number): autocannon.Options & { duration: number } {
  return {
    url: `${base}/api/auth/refresh`,
    connections,
    duration,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const token = pool.shift();
          return token ? { ...req, headers: json(), body: JSON.stringify({ refreshToken: token }) } : { ...req, method: 'GET', path: '/api/health' };
        },
        onResponse: (status, body) => {
          if (status === 200) pool.push((JSON.parse(body) as { refreshToken: string }).refreshToken);
        },
      },
    ],
  };
}

/** A bearer route (me, verify) with each connection holding one of `tokens`. */
export function bearerLoad(base: string, path: string, tokens: string[], connections: number, duration: number): autocannon.Options & { duration: number } {
  let t = 0;
  return {
    url: `${base}${path}`,
    connections,
    duration,
    setupClient: (client) => client.setHeaders({ authorization: `Bearer ${tokens[t++ % tokens.length]}` }),
  };
}

/** Access tokens from real logins of `emails`. */
export async function accessTokens(base: string, emails: string[]): Promise<string[]> {
  const tokens: string[] = [];
  for (const email of emails) {
    const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: json(), body: JSON.stringify({ email, password: PASSWORD }) });
    if (!res.ok) throw new Error(`login of ${email} answered ${res.status}: ${await res.text()}`);
    tokens.push(((await res.json()) as { token: string }).token);
  }
  return tokens;
}

/** Whether the service has GET /api/auth/verify (an older checkout may not). */
export async function hasVerify(base: string, token: string): Promise<boolean> {
  const res = await fetch(`${base}/api/auth/verify`, { headers: { authorization: `Bearer ${token}` } });
  return res.status === 204;
}
