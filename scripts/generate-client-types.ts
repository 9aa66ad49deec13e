/**
 * `npm run client:types`: writes client/src/generated/openapi.ts from the service's
 * OpenAPI document. The document comes from a running service (`--from <url>`) or, by
 * default, from the app itself booted on DATABASE_URL (scripts/with-database.ts provides
 * one) without listening. `--check` writes nothing and exits 1 when the file is stale.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from '../src/app.factory';
import { validateEnvironment } from '../src/config/environment';
import { buildAppConfig } from '../src/config/load-config';
import { OpenApiDocument, openApiToTypeScript } from './openapi-to-ts';

const GENERATED_TYPES_PATH = join(__dirname, '..', 'client', 'src', 'generated', 'openapi.ts');

async function documentFromApp(databaseUrl: string): Promise<OpenApiDocument> {
  const env = validateEnvironment({ ...process.env, LOG_LEVEL: 'silent', JWT_SECRET: randomBytes(48).toString('base64url') });
  const app = await createApp(buildAppConfig(env, databaseUrl));
  try {
    await app.init();
    const res = await app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/api/docs-json' });
    return JSON.parse(res.body) as OpenApiDocument;
  } finally {
    await app.close();
  }
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const fromIndex = args.indexOf('--from');
  let doc: OpenApiDocument;
  if (fromIndex >= 0) {
    const res = await fetch(args[fromIndex + 1]);
    doc = (await res.json()) as OpenApiDocument;
  } else {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error('DATABASE_URL is not set (run through `npm run client:types`, or pass --from <docs-json url>)');
    doc = await documentFromApp(url);
  }
  const source = openApiToTypeScript(doc);
  const current = (() => {
    try {
      return readFileSync(GENERATED_TYPES_PATH, 'utf8');
    } catch {
      return '';
    }
  })();
  if (args.includes('--check')) {
    if (current === source) return 0;
    console.error(`${GENERATED_TYPES_PATH} is stale: run \`npm run client:types\``);
    return 1;
  }
  if (current !== source) writeFileSync(GENERATED_TYPES_PATH, source);
  console.log(current === source ? 'client types are up to date' : `wrote ${GENERATED_TYPES_PATH}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
