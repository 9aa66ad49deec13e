/**
 * `npm run fuzz`: the fuzzer of test/fuzz for as long as you like.
 *
 *   npm run fuzz -- --runs 200000              a long run on its own app and embedded PostgreSQL
 *   npm run fuzz -- --runs 50000 --seed 42     another seed (the CI run uses 20260507)
 *   npm run fuzz -- --url http://localhost:3000 --runs 10000
 *                                              an already-running server: anonymous and forged
 *                                              requests only (no users or signing key are known)
 *
 * Prints progress, a status table per operation, and every distinct finding
 * with a request to replay. Exits 1 when anything was found.
 */
import 'reflect-metadata';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app.factory';
import { startEmbeddedPostgres } from '../src/platform/database/embedded-postgres';
import { runMigrations } from '../src/platform/database/migrate';
import { emptyContext, FuzzContext } from '../test/fuzz/arbitraries';
import { FUZZ_CONFIG, seedFuzzFixture } from '../test/fuzz/fuzz-fixture';
import { describeCoverage, describeFindings, runFuzz } from '../test/fuzz/fuzz-runner';
import { testConfig } from '../test/support/test-app';

interface Args {
  runs: number;
  seed: number;
  url?: string;
  concurrency: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { runs: 100_000, seed: Date.now() % 2 ** 31, concurrency: 6 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    const number = () => {
      const n = Number(value);
      if (!Number.isSafeInteger(n)) throw new Error(`${flag} needs an integer, got ${value}`);
      i++;
      return n;
    };
    if (flag === '--runs') args.runs = number();
    else if (flag === '--seed') args.seed = number();
    else if (flag === '--concurrency') args.concurrency = number();
    else if (flag === '--url') {
      args.url = value.replace(/\/$/, '');
      i++;
    } else throw new Error(`unknown option ${flag} (use --runs N, --seed S, --url URL, --concurrency C)`);
  }
  return args;
}

interface Target {
  url: string;
  context: FuzzContext;
  renew?: () => Promise<void>;
  stop(): Promise<void>;
}

/** The app as the tests start it (cheap bcrypt, trusted local proxy), on a throwaway embedded PostgreSQL. */
async function ownTarget(): Promise<Target> {
  const scratch = join('.data-test', `fuzz-${process.pid}`);
  console.log(`# starting a throwaway embedded PostgreSQL under ${scratch}`);
  const pg = await startEmbeddedPostgres(join(scratch, 'postgres'), { throwaway: true, database: 'authgate_fuzz' });
  await runMigrations(pg.url);
  const config = testConfig(pg.url, FUZZ_CONFIG);
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const fixture = await seedFuzzFixture(url, app.get(DataSource), config);
  return {
    url,
    context: fixture.context,
    renew: () => fixture.renew(),
    async stop() {
      await app.close();
      await pg.stop();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const target: Target = args.url ? { url: args.url, context: emptyContext(), stop: async () => undefined } : await ownTarget();
  const started = Date.now();
  try {
    console.log(`# fuzzing ${target.url}: ${args.runs} requests, seed ${args.seed}, concurrency ${args.concurrency}`);
    const stats = await runFuzz({
      baseUrl: target.url,
      runs: args.runs,
      seed: args.seed,
      concurrency: args.concurrency,
      context: target.context,
      afterChunk: target.renew,
      onProgress: (done, s) => {
        const rate = Math.round(done / ((Date.now() - started) / 1000));
        const found = [...s.findings.values()].reduce((n, f) => n + f.count, 0);
        process.stdout.write(`\r  ${done}/${args.runs} requests, ${rate}/s, ${s.findings.size} distinct findings (${found} in all)   `);
      },
    });
    process.stdout.write('\n');
    console.log(describeCoverage(stats));
    console.log(`# ${stats.requests} requests, seed ${args.seed}, ${Math.round((Date.now() - started) / 1000)} s, ${stats.transportErrors} transport errors`);
    if (stats.findings.size === 0) {
      console.log('# no findings');
      return 0;
    }
    console.log(describeFindings(stats));
    return 1;
  } finally {
    await target.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
