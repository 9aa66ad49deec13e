/**
 * `npm run client:types`: writes client/src/generated/openapi.ts from the service's
 * OpenAPI document. The document comes from a running service (`--from <url>`) or, by
 * default, from the app itself booted without listening, on DATABASE_URL when set, else
 * on a throwaway embedded PostgreSQL (so it never touches the dev cluster under .data).
 * `--check` writes nothing and exits 1 when the file is stale; test/client/openapi-types.e2e.ts
 * makes the same comparison inside `npm test`.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from '../src/app.factory';
import { validateEnvironment } from '../src/platform/config/environment';
import { buildAppConfig } from '../src/platform/config/load-config';
import { startEmbeddedPostgres } from '../src/platform/database/embedded-postgres';
import { OpenApiDocument, openApiToTypeScript } from './openapi-to-ts';

export const GENERATED_TYPES_PATH = join(__dirname, '..', 'client', 'src', 'generated', 'openapi.ts');

/**
 * The document as the app serves it at /api/docs-json. The configuration is fixed, not
 * read from this shell's environment, so every machine generates the same file.
 */
export async function documentFromApp(databaseUrl: string): Promise<OpenApiDocument> {
  const env = validateEnvironment({ NODE_ENV: 'test', LOG_LEVEL: 'silent', JWT_SECRET: randomBytes(48).toString('base64url') });
  const app = await createApp(buildAppConfig(env, databaseUrl));
  try {
    await app.init();
    const res = await app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/api/docs-json' });
    if (res.statusCode !== 200) throw new Error(`GET /api/docs-json answered ${res.statusCode}`);
    return JSON.parse(res.body) as OpenApiDocument;
  } finally {
    await app.close();
  }
}

/** The generated source for the current code, next to what is committed. */
export async function generatedTypes(databaseUrl: string): Promise<{ expected: string; committed: string }> {
  const expected = openApiToTypeScript(await documentFromApp(databaseUrl));
  let committed = '';
  try {
    committed = readFileSync(GENERATED_TYPES_PATH, 'utf8');
  } catch {
    // not generated yet
  }
  return { expected, committed };
}

async function withDatabase<T>(task: (url: string) => Promise<T>): Promise<T> {
  if (process.env.DATABASE_URL) return task(process.env.DATABASE_URL);
  const dir = join('.data-types', String(process.pid));
  const embedded = await startEmbeddedPostgres(join(dir, 'postgres'), { throwaway: true });
  try {
    return await task(embedded.url);
  } finally {
    await embedded.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const fromIndex = args.indexOf('--from');
  let expected: string;
  let committed: string;
  if (fromIndex >= 0) {
    const res = await fetch(args[fromIndex + 1]);
    expected = openApiToTypeScript((await res.json()) as OpenApiDocument);
    committed = (() => {
      try {
        return readFileSync(GENERATED_TYPES_PATH, 'utf8');
      } catch {
        return '';
      }
    })();
  } else {
    ({ expected, committed } = await withDatabase(generatedTypes));
  }
  if (args.includes('--check')) {
    if (committed === expected) return 0;
    console.error(`${GENERATED_TYPES_PATH} is stale: run \`npm run client:types\``);
    return 1;
  }
  if (committed !== expected) writeFileSync(GENERATED_TYPES_PATH, expected);
  console.log(committed === expected ? 'client types are up to date' : `wrote ${GENERATED_TYPES_PATH}`);
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
