import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { buildLibrary } from '../../scripts/build-client';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const bin = (name: string) => join(ROOT, 'node_modules', '.bin', name);

/** A tool's output and exit code, without throwing on a non-zero exit. */
async function tool(file: string, args: string[], cwd: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(file, args, { cwd, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' }, timeout: 120_000 });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

/**
 * The client package as npm users get it: built into a scratch copy of client/ (so a
 * demo served by another test is never rebuilt under it), then judged by the tools
 * adopters run, arethetypeswrong (types resolve under node10, node16 from CJS and from
 * ESM, and bundlers) and publint (strict: suggestions fail too), and loaded by Node
 * both ways.
 */
describe('the @authgate/client package', { timeout: 240_000 }, () => {
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'authgate-client-'));
    for (const file of ['package.json', 'README.md', 'LICENSE']) copyFileSync(join(ROOT, 'client', file), join(dir, file));
    await buildLibrary(join(dir, 'dist'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is Apache-2.0 licensed and ships its license', () => {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { license?: string; private?: boolean };
    assert.equal(manifest.license, 'Apache-2.0');
    assert.notEqual(manifest.private, true);
    assert.match(readFileSync(join(dir, 'LICENSE'), 'utf8'), /Apache License\s+Version 2\.0/);
  });

  it('passes arethetypeswrong under every resolution mode', async () => {
    const { code, output } = await tool(bin('attw'), ['--pack', '.', '--format', 'ascii'], dir);
    console.log(output.split('\n').find((l) => /problems found|🥴|❌|⚠️/.test(l)) ?? output);
    assert.equal(code, 0, output);
    assert.match(output, /No problems found/);
    for (const mode of ['node10', 'node16 \\(from CJS\\)', 'node16 \\(from ESM\\)', 'bundler']) assert.match(output, new RegExp(`${mode}: 🟢`), output);
  });

  it('passes publint in strict mode', async () => {
    const { code, output } = await tool(bin('publint'), ['--strict', '.'], dir);
    console.log(output.trim().split('\n').at(-1));
    assert.equal(code, 0, output);
    assert.match(output, /All good!/);
  });

  it('loads with require() and with import, exporting the same API', async () => {
    const script = (how: string) =>
      `${how}.then((m) => console.log(JSON.stringify({ keys: Object.keys(m).filter((k) => k !== 'default' && k !== 'module.exports').sort(), client: typeof new m.AuthClient({ storage: null, broadcastChannel: null, locks: null, activityTarget: null }).snapshot })))`;
    const load = async (how: string) => {
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script(how)], { cwd: dir });
      return JSON.parse(stdout) as { keys: string[]; client: string };
    };
    const esm = await load(`import(${JSON.stringify(join(dir, 'dist', 'esm', 'index.js'))})`);
    const cjs = await load(
      `import('node:module').then(({ createRequire }) => createRequire(${JSON.stringify(join(dir, 'package.json'))})(${JSON.stringify(dir)}))`,
    );
    assert.deepEqual(cjs, esm);
    assert.ok(esm.keys.includes('AuthClient') && esm.keys.includes('AuthApiError'), esm.keys.join());
    assert.equal(esm.client, 'function');
  });
});
