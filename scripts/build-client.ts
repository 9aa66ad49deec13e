/**
 * `npm run build:client`: the SPA client package and its demo.
 *
 *   client/dist/esm/index.js   the client as one ES module (no runtime dependencies), for `import`
 *   client/dist/cjs/index.js   the same as CommonJS, for `require`
 *   client/dist/{esm,cjs}/*.d.ts  its type declarations (tsc), relative imports ending in `.js`
 *                              so they resolve under `moduleResolution: node16/nodenext` as under bundlers
 *   client/dist/demo/          the demo page served at /demo/ when DEMO_ENABLED=true
 *
 * Each of esm/ and cjs/ carries a package.json naming its module format, so Node and
 * TypeScript read each half (and its declarations) as what it is; client/package.json's
 * `exports` points `import` and `require` at them. test/client/package-shape.e2e.ts runs
 * arethetypeswrong and publint on the result.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, BuildOptions } from 'esbuild';

const client = join(__dirname, '..', 'client');
const dist = join(client, 'dist');

/** Every `.d.ts` under a directory. */
function declarations(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return declarations(path);
    return entry.endsWith('.d.ts') ? [path] : [];
  });
}

/**
 * The sources import `./policy` (the repository's test runner resolves no `.js` to `.ts`);
 * Node-style resolution of the published declarations needs `./policy.js`.
 */
export function withJsExtensions(source: string): string {
  return source.replace(/(\b(?:from|import)\s*\(?\s*['"])(\.{1,2}\/[^'"]+?)(['"])/g, (whole, head: string, specifier: string, tail: string) =>
    /\.(js|mjs|cjs|json)$/.test(specifier) ? whole : `${head}${specifier}.js${tail}`,
  );
}

/** The package's two halves under `out` (client/dist, or a scratch copy for the package-shape test). */
export async function buildLibrary(out: string = dist): Promise<void> {
  const types = join(out, 'types');
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(client, 'tsconfig.build.json'), '--outDir', types], { stdio: 'inherit' });
  for (const file of declarations(types)) writeFileSync(file, withJsExtensions(readFileSync(file, 'utf8')));

  const common: BuildOptions = {
    entryPoints: [join(client, 'src', 'index.ts')],
    bundle: true,
    target: 'es2020',
    platform: 'neutral',
    sourcemap: true,
    logLevel: 'warning',
  };
  for (const [format, type] of [
    ['esm', 'module'],
    ['cjs', 'commonjs'],
  ] as const) {
    const half = join(out, format);
    cpSync(types, half, { recursive: true });
    writeFileSync(join(half, 'package.json'), `${JSON.stringify({ type }, null, 2)}\n`);
    await build({ ...common, format, outfile: join(half, 'index.js') });
  }
  rmSync(types, { recursive: true, force: true });
}

async function buildDemo(): Promise<void> {
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
}

async function main(): Promise<void> {
  rmSync(dist, { recursive: true, force: true });
  await buildLibrary();
  await buildDemo();
  console.log(`built ${join(dist, 'esm')}, ${join(dist, 'cjs')} and ${join(dist, 'demo')}`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
