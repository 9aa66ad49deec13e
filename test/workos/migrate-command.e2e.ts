import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Organization } from '../../src/identity/organizations/organization.entity';
import { createOrganization, createUser, PASSWORD } from '../support/factories';
import { post } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { WorkosStandIn } from '../support/workos-stand-in';

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  lines: string[];
}

/** `npm run workos:migrate` as an operator runs it: the real script in a process of its own. */
describe('npm run workos:migrate (the command, against the stand-in)', () => {
  let t: TestApp;
  let workos: WorkosStandIn;

  function migrate(args: string[], onLine?: (line: string, kill: () => void) => void): Promise<Run> {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'scripts/workos-migrate.ts', ...args], {
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: t.config.database.url,
        WORKOS_API_KEY: workos.apiKey,
        WORKOS_CLIENT_ID: workos.clientId,
        WORKOS_API_HOSTNAME: '127.0.0.1',
        WORKOS_API_PORT: String(workos.port),
        WORKOS_API_HTTPS: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let buffered = '';
    const read = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        onLine?.(line, () => child.kill('SIGKILL'));
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, lines })));
  }

  async function orgWithUsers(count: number): Promise<Organization> {
    const org = await createOrganization(t.db);
    for (let i = 0; i < count; i++) await createUser(t.db, org, { email: `cmd${i}-${org.slug}@example.test` });
    return org;
  }

  const localRows = (org: Organization) =>
    t.db.query<{ email: string; password_hash: string | null; workos_user_id: string | null; migrated_at: Date | null }[]>(
      `SELECT email, password_hash, workos_user_id, migrated_at FROM users WHERE organization_id = $1 ORDER BY email`,
      [org.id],
    );

  const assertNoDuplicates = () => {
    const emails = workos.allUsers().map((u) => u.email.toLowerCase());
    assert.equal(new Set(emails).size, emails.length, `duplicates in WorkOS: ${emails.join(', ')}`);
  };

  before(async () => {
    workos = await WorkosStandIn.start();
    t = await startTestApp({ config: { workos: workos.failFastConfig() } });
  });
  after(async () => {
    await t.close();
    await workos.close();
  });
  beforeEach(() => workos.reset());

  it('prints a line per user and a summary, migrates the organization, and a rerun has nothing to do', async () => {
    const org = await orgWithUsers(3);
    const run = await migrate(['--org', org.slug]);
    assert.equal(run.code, 0, run.lines.join('\n'));
    assert.ok(run.lines.some((l) => l.startsWith(`WorkOS migration of organization ${org.slug}`)), run.lines.join('\n'));
    assert.deepEqual(
      run.lines.filter((l) => /^\[\d\/3\] created/.test(l)).map((l) => l.slice(0, 5)).sort(),
      ['[1/3]', '[2/3]', '[3/3]'],
    );
    assert.ok(run.lines.some((l) => l.startsWith('done: 3/3 processed — created 3')), run.lines.join('\n'));
    for (const row of await localRows(org)) assert.ok(row.migrated_at && row.workos_user_id && !row.password_hash, row.email);

    const again = await migrate(['--org', org.slug]);
    assert.equal(again.code, 0);
    assert.ok(again.lines.some((l) => l.startsWith('done: 0/0 processed')), again.lines.join('\n'));
    assertNoDuplicates();
  });

  it('survives being killed half-way (SIGKILL right after WorkOS created a user): the rerun finishes without duplicates', async () => {
    const org = await orgWithUsers(6);
    let created = 0;
    let killed = false;
    let kill: (() => void) | undefined;
    workos.onUserCreated = () => {
      created += 1;
      // Killed after WorkOS stored the third user and before the script heard back.
      if (created === 3 && kill) {
        killed = true;
        kill();
      }
    };
    const first = await migrate(['--org', org.slug, '--concurrency', '1'], (_line, k) => {
      kill = k;
    });
    assert.equal(killed, true, first.lines.join('\n'));
    assert.equal(first.signal, 'SIGKILL');
    const midway = await localRows(org);
    for (const r of midway) assert.ok(r.password_hash || r.migrated_at, `${r.email} kept a way to sign in`);
    assert.ok(midway.some((r) => r.password_hash), 'not everyone was migrated by the killed run');

    workos.onUserCreated = null;
    const second = await migrate(['--org', org.slug]);
    assert.equal(second.code, 0, second.lines.join('\n'));
    assertNoDuplicates();
    assert.equal(workos.allUsers().length, 6);
    for (const r of await localRows(org)) assert.ok(r.migrated_at && r.workos_user_id && !r.password_hash, `${r.email} migrated`);
    const res = await post(`${t.url}/api/auth/login`, { email: midway[2].email, password: PASSWORD });
    assert.equal(res.status, 200, res.text);
  });

  it("honours WorkOS's 429 Retry-After, saying so, and finishes", async () => {
    const org = await orgWithUsers(1);
    workos.enqueue({ status: 429, body: { code: 'rate_limit_exceeded', message: 'Slow down.' }, headers: { 'retry-after': '1' } });
    const run = await migrate(['--org', org.slug]);
    assert.equal(run.code, 0, run.lines.join('\n'));
    assert.ok(run.lines.some((l) => /waiting 1s/.test(l)), run.lines.join('\n'));
    assert.equal(workos.allUsers().length, 1);
  });

  it('plans with --dry-run and writes nothing, here or at WorkOS', async () => {
    const org = await orgWithUsers(2);
    const run = await migrate(['--org', org.slug, '--dry-run']);
    assert.equal(run.code, 0, run.lines.join('\n'));
    assert.ok(run.lines.some((l) => /nothing was written/.test(l)));
    assert.equal(workos.allUsers().length, 0);
    for (const r of await localRows(org)) assert.ok(r.password_hash && !r.migrated_at);
  });

  it('refuses bad usage with exit code 2 and the usage line', async () => {
    for (const args of [[], ['--org'], ['--org', 'x', '--all'], ['--concurrency', '0', '--all'], ['--bogus']]) {
      const run = await migrate(args);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.lines.join('\n')}`);
      assert.ok(run.lines.some((l) => l.startsWith('usage: npm run workos:migrate')), run.lines.join('\n'));
    }
    const unknown = await migrate(['--org', 'no-such-org']);
    assert.equal(unknown.code, 2);
    assert.ok(unknown.lines.some((l) => /no organization with slug "no-such-org"/.test(l)));
  });
});

describe('lazy migration (per organization)', () => {
  let t: TestApp;
  let workos: WorkosStandIn;
  before(async () => {
    workos = await WorkosStandIn.start();
    t = await startTestApp({ config: { workos: workos.failFastConfig() } });
  });
  after(async () => {
    await t.close();
    await workos.close();
  });

  it('imports a user of an opted-in organization after a successful local login; other organizations are left alone', async () => {
    const lazy = await createOrganization(t.db, { lazyWorkosMigration: true });
    const plain = await createOrganization(t.db);
    const a = await createUser(t.db, lazy, { email: 'lazy-a@example.test' });
    await createUser(t.db, plain, { email: 'plain-b@example.test' });

    assert.equal((await post(`${t.url}/api/auth/login`, { email: 'lazy-a@example.test', password: 'wrong-one' })).status, 401);
    assert.equal((await post(`${t.url}/api/auth/login`, { email: 'lazy-a@example.test', password: PASSWORD })).status, 200);
    assert.equal((await post(`${t.url}/api/auth/login`, { email: 'plain-b@example.test', password: PASSWORD })).status, 200);

    let row: { migrated_at: Date | null; password_hash: string | null }[] = [];
    for (let i = 0; i < 100; i++) {
      row = await t.db.query(`SELECT migrated_at, password_hash FROM users WHERE id = $1`, [a.id]);
      if (row[0].migrated_at) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(row[0].migrated_at, 'imported in the background');
    assert.equal(row[0].password_hash, null);
    assert.deepEqual(workos.allUsers().map((u) => u.email), ['lazy-a@example.test'], 'only the opted-in, correctly signed-in user');

    const before = workos.requestsTo('POST', '/user_management/authenticate').length;
    assert.equal((await post(`${t.url}/api/auth/login`, { email: 'lazy-a@example.test', password: PASSWORD })).status, 200);
    assert.equal(workos.requestsTo('POST', '/user_management/authenticate').length, before + 1, 'now verified by WorkOS');
  });
});
