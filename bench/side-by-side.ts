/**
 * Variants of the service measured side by side in one run: every variant's service is
 * up at once, each on a database of its own seeded alike, and each scenario runs on
 * every variant in turn, in ABBA order over the rounds (A B, then B A), so a machine
 * whose load drifts during the run weighs on each variant alike. The ratios to the first
 * variant are what to read: absolute figures on a shared machine are noise.
 */
import autocannon from 'autocannon';
import type { AppConfig } from '../src/platform/config/app-config';
import { accessTokens, bearerLoad, cannon, hasVerify, log, loginLoad, refreshLoad, Row } from './load';
import type { BenchDatabase, Seeded } from './seed';
import { Service, startService } from './service';

export type Scenario = 'login' | 'refresh' | 'me' | 'verify';

export interface Variant {
  label: string;
  /** The checkout whose service runs (this one, or another for a before/after). */
  checkout: string;
  config: AppConfig;
  database: BenchDatabase;
  seeded: Seeded;
}

export interface SideBySideOptions {
  scenarios: Scenario[];
  rounds: number;
  seconds: number;
  loginSeconds: number;
  loginConcurrency: number;
  concurrency: number;
}

export interface Cell {
  reqPerSec: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  rounds: Row[];
}

export interface SideBySide {
  labels: string[];
  /** scenario → one cell per variant (undefined: the variant does not have it, e.g. verify before it existed). */
  cells: Record<string, (Cell | undefined)[]>;
  services: Service[];
}

const SCENARIO_NAMES: Record<Scenario, string> = {
  login: 'password login',
  refresh: 'refresh (rotation)',
  me: 'GET /api/auth/me',
  verify: 'GET /api/auth/verify',
};

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Starts every variant's service and measures; the services stay up for the caller (stop them). */
export async function measureSideBySide(variants: Variant[], options: SideBySideOptions): Promise<SideBySide> {
  const services: Service[] = [];
  const tokens: string[][] = [];
  const verifies: boolean[] = [];
  for (const v of variants) {
    const service = await startService(v.checkout, v.config);
    services.push(service);
    log(`# ${v.label}: service on ${service.base} (pid ${service.pid}), database ${v.database.name}`);
    tokens.push(await accessTokens(service.base, v.seeded.memberEmails.slice(0, 10)));
    verifies.push(await hasVerify(service.base, tokens[tokens.length - 1][0]));
  }
  // A fresh process runs its first seconds unoptimised: warm every service up before anything is recorded.
  log('# warming up (not recorded)');
  for (const [i, s] of services.entries()) {
    await autocannon(bearerLoad(s.base, '/api/auth/me', tokens[i], options.concurrency, 2));
    await autocannon(refreshLoad(s.base, variants[i].seeded.refreshPool, options.concurrency, 2));
  }
  const cells: SideBySide['cells'] = {};
  for (const scenario of options.scenarios) {
    const perVariant: Row[][] = variants.map(() => []);
    for (let round = 0; round < options.rounds; round++) {
      const order = variants.map((_, i) => i);
      if (round % 2 === 1) order.reverse();
      for (const i of order) {
        const v = variants[i];
        const s = services[i];
        const name = `${SCENARIO_NAMES[scenario]} [${v.label}]`;
        if (scenario === 'verify' && !verifies[i]) continue;
        const load =
          scenario === 'login'
            ? loginLoad(s.base, v.seeded.memberEmails, options.loginConcurrency, options.loginSeconds)
            : scenario === 'refresh'
              ? refreshLoad(s.base, v.seeded.refreshPool, options.concurrency, options.seconds)
              : bearerLoad(s.base, `/api/auth/${scenario}`, tokens[i], options.concurrency, options.seconds);
        perVariant[i].push(await cannon(name, load, s.rss));
      }
    }
    cells[scenario] = perVariant.map((rows) =>
      rows.length === 0
        ? undefined
        : {
            reqPerSec: mean(rows.map((r) => r.reqPerSec)),
            p50: mean(rows.map((r) => r.p50)),
            p99: mean(rows.map((r) => r.p99)),
            non2xx: rows.reduce((a, r) => a + r.non2xx, 0),
            errors: rows.reduce((a, r) => a + r.errors, 0),
            rounds: rows,
          },
    );
  }
  return { labels: variants.map((v) => v.label), cells, services };
}

/** The side-by-side table: req/s and p99 per variant, and each variant's req/s over the first's. */
export function printSideBySide(result: SideBySide, ratioLabel = (label: string, first: string) => `${label} / ${first}`): void {
  const [first, ...others] = result.labels;
  const head = ['scenario', ...result.labels.flatMap((l) => [`${l} req/s`, `${l} p99 ms`]), ...others.map((l) => ratioLabel(l, first))];
  log(`\n| ${head.join(' | ')} |`);
  log(`| --- | ${head.slice(1).map(() => '---:').join(' | ')} |`);
  for (const [scenario, cells] of Object.entries(result.cells)) {
    const base = cells[0];
    const figures = cells.flatMap((c) => (c ? [c.reqPerSec.toFixed(1), c.p99.toFixed(0)] : ['n/a', 'n/a']));
    const ratios = cells.slice(1).map((c) => (c && base ? (c.reqPerSec / base.reqPerSec).toFixed(2) : 'n/a'));
    const failures = cells.reduce((a, c) => a + (c ? c.non2xx + c.errors : 0), 0);
    log(`| ${SCENARIO_NAMES[scenario as Scenario]}${failures > 0 ? ` (${failures} non-2xx/errors)` : ''} | ${[...figures, ...ratios].join(' | ')} |`);
  }
}

export const ratioOf = (result: SideBySide, scenario: Scenario, variant: number): number => {
  const cells = result.cells[scenario];
  const c = cells?.[variant];
  return c && cells[0] ? c.reqPerSec / cells[0].reqPerSec : NaN;
};
