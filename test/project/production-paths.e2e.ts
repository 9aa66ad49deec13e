import assert from 'node:assert/strict';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ENTITIES } from '../../src/entities';
import { dataSourceOptions } from '../../src/platform/database/data-source-options';
import { createOrganization, createUser, PASSWORD } from '../support/factories';
import { freePort } from '../support/free-port';
import { get, post } from '../support/http';

interface Run {
  code: number | null;
  output: string;
}

/**
 * The environment of an operator's shell: none of the variables `npm test` and its runner
 * set (npm_config_*, the test database, NODE_ENV=test), and no node_modules/.bin of this
 * checkout on PATH, so the copy under test finds only what it installed itself.
 */
function shellEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('npm_') || key.startsWith('TEST_') || key === 'NODE_OPTIONS' || key === 'NODE_ENV' || key === 'DATABASE_URL') continue;
    env[key] = value;
  }
  env.PATH = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => !dir.includes('node_modules'))
    .join(delimiter);
  return { ...env, ...extra };
}

/** Runs a command to its end (its own process group, killed with it on timeout); exit code and output. */
function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs = 400_000): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const timer = setTimeout(() => process.kill(-(child.pid as number), 'SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/**
 * Two installs (the production dependencies, then the dev dependencies `npm start` adds) and
 * a tsc build: two minutes on a quiet machine, three at a load of 10, five at 20, hence
 * the generous bounds (they only stop a hung install).
 *
 * What an operator and a PaaS do, on a copy of the project with only the production
 * dependencies installed (`npm ci --omit=dev`) and the compiled build (`npm run build`,
 * here tsc into the copy): the migrations run from dist/ (`npm run migration:run:prod`)
 * into a fresh, empty database, `npm run start:prod` serves logins with every variable
 * production requires, and `NODE_ENV=production npm start` reaches the configuration
 * checks (it used to prune the dev dependencies it then loads and die on
 * `Cannot find module '@swc-node/register'`). This checkout's own node_modules is never touched.
 */
describe('the production paths: npm run build, migration:run:prod, start:prod, NODE_ENV=production npm start', { timeout: 900_000 }, () => {
  const copy = mkdtempSync(join(tmpdir(), 'authgate-production-'));
  const database = `${(process.env.TEST_TEMPLATE_DB ?? 'authgate_tpl').replace('tpl', 't')}_production_${randomBytes(3).toString('hex')}`;
  const databaseUrl = (() => {
    const url = new URL(process.env.TEST_DATABASE_URL as string);
    url.pathname = `/${database}`;
    return url.toString();
  })();
  const admin = () => new Client({ connectionString: process.env.TEST_DATABASE_URL });
  let server: ChildProcess | undefined;
  let port = 0;

  const production = (): Record<string, string> => ({
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    JWT_SECRET: randomBytes(48).toString('base64'),
    MFA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    SMTP_URL: 'smtp://127.0.0.1:2525',
    PUBLIC_APP_URL: 'https://app.example.test',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: join(copy, '.data'),
  });

  before(async () => {
    port = await freePort();
    // What a fresh clone holds: the files git tracks or would add (as they are in this checkout), no build, no node_modules.
    const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { encoding: 'utf8' }).split('\0').filter(Boolean);
    for (const file of files.filter((f) => existsSync(f))) {
      mkdirSync(dirname(join(copy, file)), { recursive: true });
      copyFileSync(file, join(copy, file));
    }
    const c = admin();
    await c.connect();
    await c.query(`CREATE DATABASE "${database}"`);
    await c.end();
    // Side by side: the production dependencies into the copy, and the build (this checkout's TypeScript) into its dist/.
    const [install, build] = await Promise.all([
      run('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline'], copy, shellEnv({})),
      run(process.execPath, [join('node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json', '--outDir', join(copy, 'dist')], '.', shellEnv({})),
    ]);
    assert.equal(install.code, 0, install.output);
    assert.equal(build.code, 0, build.output);
    assert.equal(existsSync(join(copy, 'node_modules', '@swc-node')), false, 'the copy has no dev dependency');
  });

  after(async () => {
    // The group may be gone already (npm exits after node): the copy and the database are removed either way.
    if (server?.pid && server.exitCode === null && server.signalCode === null) {
      try {
        process.kill(-server.pid, 'SIGKILL');
      } catch {
        // nothing left to stop
      }
    }
    rmSync(copy, { recursive: true, force: true });
    const c = admin();
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await c.end();
  });

  it('npm run migration:run:prod applies every migration from dist/ into an empty database, then finds nothing to do', async () => {
    const env = shellEnv(production());
    const first = await run('npm', ['run', '--silent', 'migration:run:prod'], copy, env);
    assert.equal(first.code, 0, first.output);
    const migrations = readdirSync('migrations').filter((f) => f.endsWith('.ts'));
    const c = new Client({ connectionString: databaseUrl });
    await c.connect();
    const { rows } = await c.query<{ name: string }>('SELECT name FROM migrations ORDER BY id');
    await c.end();
    assert.equal(rows.length, migrations.length, `applied ${JSON.stringify(rows)} of ${JSON.stringify(migrations)}`);
    assert.match(first.output, new RegExp(`^Applied migrations: ${rows.map((r) => r.name).join(', ')}$`, 'm'));

    const again = await run('npm', ['run', '--silent', 'migration:run:prod'], copy, env);
    assert.deepEqual({ code: again.code, output: again.output.trim() }, { code: 0, output: 'No pending migrations.' });

    const { DATABASE_URL: _unused, ...withoutUrl } = production();
    const missing = await run('npm', ['run', '--silent', 'migration:run:prod'], copy, shellEnv(withoutUrl));
    assert.equal(missing.code, 1, missing.output);
    assert.match(missing.output, /^DATABASE_URL: required by npm run migration:run:prod/m);
  });

  it('npm run start:prod, with every variable production requires, is ready and signs a user in', async () => {
    const db = new DataSource(dataSourceOptions(databaseUrl, 1, 10_000, 2000, ENTITIES));
    await db.initialize();
    const org = await createOrganization(db, { slug: 'operator' });
    const user = await createUser(db, org, { email: 'ops@operator.example' });
    await db.destroy();

    let output = '';
    server = spawn('npm', ['run', 'start:prod'], { cwd: copy, env: shellEnv(production()), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    server.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    server.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const startedAt = Date.now();
    while (!output.includes('is listening on')) {
      assert.equal(server.exitCode, null, `start:prod exited: ${output}`);
      assert.ok(Date.now() - startedAt < 60_000, `start:prod did not come up: ${output}`);
      await sleep(200);
    }
    const base = `http://127.0.0.1:${port}`;
    const ready = await get(`${base}/api/health/ready`);
    assert.equal(ready.status, 200, ready.text);
    const login = await post(`${base}/api/auth/login`, { email: 'ops@operator.example', password: PASSWORD });
    assert.equal(login.status, 200, login.text);
    const me = await get(`${base}/api/auth/me`, { token: login.body.token });
    assert.equal(me.status, 200, me.text);
    assert.equal(me.body.user.id, user.id);
    assert.doesNotMatch(output, /Applied migrations|Demo login/, 'migrated already; never the demo');
    assert.equal(existsSync(join(copy, '.data')), false, 'production generates no secret and no database of its own');

    const exited = new Promise((resolve) => server?.once('exit', resolve));
    process.kill(-(server.pid as number), 'SIGTERM');
    await exited;
  });

  it('NODE_ENV=production npm start installs what it runs on and stops at the configuration check, naming DATABASE_URL', async () => {
    const { DATABASE_URL: _unused, ...withoutUrl } = production();
    const start = await run('npm', ['start'], copy, shellEnv(withoutUrl));
    assert.notEqual(start.code, 0, start.output);
    assert.doesNotMatch(start.output, /Cannot find module|MODULE_NOT_FOUND/);
    // The problems listed under the heading (npm's own failure lines follow them).
    const lines = start.output.slice(start.output.indexOf('Invalid configuration:')).split('\n');
    const problems = lines.slice(1, lines.findIndex((line, i) => i > 0 && !line.startsWith('  ')));
    assert.equal(lines[0], 'Invalid configuration:', start.output);
    assert.deepEqual(problems, ['  DATABASE_URL: required when NODE_ENV=production (the embedded PostgreSQL is for development only)']);
  });
});
