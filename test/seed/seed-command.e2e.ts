import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { get, post } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { createTestDatabase, TestDatabase } from '../support/database';
import { fixtureFile, runSeedCommand, snapshot } from './seed-helpers';

const PASSWORD = 'CorrectHorseBatteryStaple!';

describe('npm run seed (the command, on a database of its own)', () => {
  let database: TestDatabase;
  let t: TestApp;

  before(async () => {
    database = await createTestDatabase();
  });
  after(async () => {
    await t?.close();
    await database.drop();
  });

  it('without a file loads the demo fixture, reports what it created and exits 0', async () => {
    const run = await runSeedCommand(database.url, []);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Loading fixtures\/demo\.json into postgres:\/\//);
    assert.match(run.stdout, /organizations: 2 created, 0 updated, 0 unchanged/);
    assert.match(run.stdout, /users: 7 created, 0 updated, 0 unchanged/);
    assert.match(run.stdout, /workspaces: 3 created, 0 updated, 0 unchanged/);
    assert.match(run.stdout, /memberships: 6 created, 0 updated, 0 unchanged/);
    assert.doesNotMatch(run.stdout + run.stderr, /CorrectHorse|\$2b\$/, 'no password or hash in the output');
  });

  it('lets the seeded demo user log in with the seed example credentials', async () => {
    t = await startTestApp({ databaseUrl: database.url });
    const res = await post(`${t.url}/api/auth/login`, { email: 'ops@acme.example', password: PASSWORD });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.user.email, 'ops@acme.example');
    assert.equal(res.body.user.fullName, 'Acme Ops');
    assert.equal(res.body.user.accessRole, 'ADMIN');
    assert.deepEqual(
      { ...res.body.sessionConfig },
      {
        enabled: true,
        idleTimeoutMinutes: 30,
        tokenExpiryHours: 8,
        warningTimeMinutes: 2,
        idleTrackingEnabled: true,
        ssoSilentRenewalEnabled: true,
        ssoFallbackBehavior: 'redirect',
        passwordSilentRenewalEnabled: false,
        passwordFallbackBehavior: 'logout',
      },
    );
    const inactive = await post(`${t.url}/api/auth/login`, { email: 'former@acme.example', password: PASSWORD });
    assert.equal(inactive.status, 401);
    const byUserName = await post(`${t.url}/api/workspace/auth/login`, { UserNameOrEmail: 'alice', Password: PASSWORD });
    assert.equal(byUserName.status, 200, byUserName.text);
    assert.equal(byUserName.body.Data.WorkspaceName, 'acme-eu');
    assert.deepEqual(byUserName.body.Warnings.map((w: { Code: string }) => w.Code), ['OnboardingIncomplete']);
  });

  it('run again, changes nothing: same ids, same hashes, live sessions untouched', async () => {
    const login = await post(`${t.url}/api/auth/login`, { email: 'admin@acme.example', password: PASSWORD });
    assert.equal(login.status, 200, login.text);
    const before = await snapshot(t.db);

    const run = await runSeedCommand(database.url, ['fixtures/demo.json']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /organizations: 0 created, 0 updated, 2 unchanged/);
    assert.match(run.stdout, /users: 0 created, 0 updated, 7 unchanged/);
    assert.match(run.stdout, /memberships: 0 created, 0 updated, 6 unchanged/);
    assert.match(run.stdout, /Nothing to change\./);

    assert.deepEqual(await snapshot(t.db), before);
    const me = await get(`${t.url}/api/auth/me`, { token: login.body.token });
    assert.equal(me.status, 200, me.text);
  });

  it('refuses a broken file as a whole, names every bad path, exits 1 and writes nothing', async () => {
    const before = await snapshot(t.db);
    const file = fixtureFile({
      organizations: [{ slug: 'initech', name: 'Initech' }],
      users: [
        { email: 'peter@initech.example', organization: 'initech', accessRole: 'MEMBER', password: PASSWORD },
        { email: 'bill@initech.example', organization: 'initch', accessRole: 'BOSS', password: PASSWORD, passwordHash: '$2b$10$x' },
        { email: 'PETER@initech.example', organization: 'initech', accessRole: 'MEMBER', workosUserId: 'user_1', shoeSize: 44 },
        { email: 'milton@initech.example', organization: 'initech', accessRole: 'MEMBER', password: PASSWORD, userName: 'milton@basement' },
      ],
      workspaces: [{ slug: 'initech-hq', organization: 'initech', name: 'HQ', roles: [{ name: 'Coder', permissions: ['tps.write'] }] }],
      memberships: [{ workspace: 'initech-hq', email: 'peter@initech.example', roles: ['Manager'], userType: 7 }],
    });
    const run = await runSeedCommand(database.url, [file]);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    const lines = run.stderr.split('\n').map((l) => l.trim());
    assert.match(lines[0], /refused, 8 problems; nothing was written/);
    for (const expected of [
      'users[1].accessRole: must be one of "ADMIN", "MEMBER" (got the string "BOSS")',
      'users[1]: has password and passwordHash: give exactly one of password, passwordHash or workosUserId',
      'users[1].organization: unknown organization "initch"',
      'users[2].shoeSize: unknown field',
      'users[2].email: duplicate "peter@initech.example" (also users[0])',
      'memberships[0].userType: must be one of 0, 1, 2 (got number 7)',
      'memberships[0].roles[0]: unknown role "Manager" in workspace "initech-hq"',
    ]) {
      assert.ok(lines.includes(expected), `missing "${expected}" in:\n${run.stderr}`);
    }
    assert.ok(lines.some((l) => l.startsWith('users[3].userName: must not contain "@"')), run.stderr);
    assert.deepEqual(await snapshot(t.db), before);
  });

  it('refuses invalid JSON with its line and column and exits 2', async () => {
    const file = fixtureFile('{\n  "organizations": [\n    { "slug": "acme", }\n  ]\n}\n');
    const run = await runSeedCommand(database.url, [file]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /invalid JSON at line 3, column 23 \(position \d+\): trailing comma before "\}"/);
  });

  it('exits 2 for a missing file or wrong usage, and prints the usage', async () => {
    const missing = await runSeedCommand(database.url, ['no/such/fixture.json']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read no\/such\/fixture\.json: no such file/);
    const twoFiles = await runSeedCommand(database.url, ['a.json', 'b.json']);
    assert.equal(twoFiles.code, 2);
    assert.match(twoFiles.stderr, /usage: npm run seed -- \[file\.json\]/);
  });

  it('--dry-run reports what would change and writes nothing', async () => {
    const before = await snapshot(t.db);
    const file = fixtureFile({ organizations: [{ slug: 'initech', name: 'Initech' }] });
    const run = await runSeedCommand(database.url, [file, '--dry-run']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /organizations: 1 created/);
    assert.match(run.stdout, /Would change the database\./);
    assert.deepEqual(await snapshot(t.db), before);
  });
});
