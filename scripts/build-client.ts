/**
 * `npm run build:client`: the SPA client package and its demo.
 *
 *   client/dist/lib/index.js    the client as one ES module (no runtime dependencies)
 *   client/dist/lib/*.d.ts      its type declarations (tsc)
 *   client/dist/demo/           the demo page served at /demo/ when DEMO_ENABLED=true
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const client = join(__dirname, '..', 'client');
const dist = join(client, 'dist');

async function main(): Promise<void> {
  rmSync(dist, { recursive: true, force: true });
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(client, 'tsconfig.build.json')], { stdio: 'inherit' });
  await build({
    entryPoints: [join(client, 'src', 'index.ts')],
    outfile: join(dist, 'lib', 'index.js'),
    bundle: true,
    format: 'esm',
    target: 'es2020',
    platform: 'browser',
    sourcemap: true,
    logLevel: 'warning',
  });
  // The package root is CommonJS for the repository's test runner; the built module is ESM.
  writeFileSync(join(dist, 'lib', 'package.json'), '{ "type": "module" }\n');

  mkdirSync(join(dist, 'demo'), { recursive: true });
  await build({
    entryPoints: [join(client, 'demo', 'demo.ts')],
    outfile: join(dist, 'demo', 'demo.js'),
    bundle: true,
    format: 'iife',
    target: 'es2020',
    platform: 'browser',
    sourcemap: true,
    logLevel: 'warning',
  });
  for (const file of ['index.html', 'demo.css']) copyFileSync(join(client, 'demo', file), join(dist, 'demo', file));
  console.log(`built ${join(dist, 'lib')} and ${join(dist, 'demo')}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
