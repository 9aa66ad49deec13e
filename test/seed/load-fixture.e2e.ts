import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import bcrypt from 'bcrypt';
import { FixtureRejectedError } from '../../src/fixtures/fixture-error';
import { Organization } from '../../src/identity/organizations/organization.entity';
import { User } from '../../src/identity/users/user.entity';
import { WorkspaceMembership } from '../../src/workspace/workspace-membership.entity';
import { Workspace } from '../../src/workspace/workspace.entity';
import { createOrganization, createUser } from '../support/factories';
import { get, post } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { contractExample, seed, snapshot } from './seed-helpers';

const PASSWORD = 'CorrectHorseBatteryStaple!';
const LEGACY_PASSWORD = 'legacy-password-from-the-old-system';
const login = (t: TestApp, email: string, password: string) => post(`${t.url}/api/auth/login`, { email, password });

describe('loading the fixtures.md example', () => {
  let t: TestApp;
  let legacyHash: string;
  before(async () => {
    t = await startTestApp();
    // A $2a$ hash at cost 4: taken as is, never "improved" by the loader.
    legacyHash = (await bcrypt.hash(LEGACY_PASSWORD, 4)).replace(/^\$2b\$/, '$2a$');
    const summary = await seed(t.db, t.config, contractExample(legacyHash));
    assert.deepEqual(summary.users, { created: 3, updated: 0, unchanged: 0 });
  });
  after(() => t.close());

  it('stores the organization with only the policy fields the file set, and resolves the rest at login', async () => {
    const org = await t.db.getRepository(Organization).findOneByOrFail({ slug: 'acme' });
    assert.equal(org.name, 'Acme');
    assert.equal(org.workosOrganizationId, 'org_01HACME');
    assert.deepEqual(org.sessionPolicy, { enabled: true, idleTimeoutMinutes: 30, tokenExpiryHours: 8 });
    const res = await login(t, 'admin@acme.example', PASSWORD);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.sessionConfig.enabled, true);
    assert.equal(res.body.sessionConfig.warningTimeMinutes, 2);
    assert.deepEqual(
      { ...res.body.user, id: undefined, organizationId: undefined },
      { id: undefined, organizationId: undefined, email: 'admin@acme.example', fullName: 'Acme Admin', accessRole: 'ADMIN', conversationOpenPreference: 'split' },
    );
    assert.equal(res.body.user.organizationId, org.id);
  });

  it('hashes a password with bcrypt at the configured cost, and the user name logs in case-insensitively', async () => {
    const admin = await t.db.getRepository(User).findOneByOrFail({ email: 'admin@acme.example' });
    assert.match(admin.passwordHash ?? '', /^\$2b\$10\$/);
    assert.equal(admin.userName, 'acme.admin');
    const res = await post(`${t.url}/api/workspace/auth/login`, { UserNameOrEmail: 'ACME.Admin', Password: PASSWORD });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.Data.Roles, ['Supervisor', 'Agent']);
    assert.deepEqual(res.body.Data.Permissions, ['boards.read', 'boards.write', 'inbox.reply', 'reports.read']);
  });

  it('takes a passwordHash as is, and an inactive user cannot log in', async () => {
    const legacy = await t.db.getRepository(User).findOneByOrFail({ email: 'legacy@acme.example' });
    assert.equal(legacy.passwordHash, legacyHash);
    assert.equal(legacy.active, false);
    const res = await login(t, 'legacy@acme.example', LEGACY_PASSWORD);
    assert.equal(res.status, 401);
    assert.equal(res.body.code, 'INVALID_CREDENTIALS');
  });

  it('marks a user with a workosUserId as migrated: WorkOS alone verifies (here unconfigured: 503)', async () => {
    const migrated = await t.db.getRepository(User).findOneByOrFail({ email: 'migrated@acme.example' });
    assert.equal(migrated.workosUserId, 'user_01HMIGRATED');
    assert.equal(migrated.passwordHash, null);
    assert.ok(migrated.migratedAt instanceof Date);
    const res = await login(t, 'migrated@acme.example', PASSWORD);
    assert.equal(res.status, 503, res.text);
    assert.equal(res.body.code, 'IDENTITY_PROVIDER_UNAVAILABLE');
  });

  it('stores all five module flags, the unlisted ones false', async () => {
    const ws = await t.db.getRepository(Workspace).findOneByOrFail({ slug: 'acme-eu' });
    assert.deepEqual(ws.modules, { Boards: true, Booking: false, CurrencyRates: true, EntitlementOperations: false, WorkInbox: true });
    const bare = await seed(t.db, t.config, {
      organizations: [{ slug: 'acme', name: 'Acme', workosOrganizationId: 'org_01HACME', sessionPolicy: { enabled: true, idleTimeoutMinutes: 30, tokenExpiryHours: 8 } }],
      workspaces: [{ slug: 'acme-lab', organization: 'acme', name: 'Lab', modules: { Booking: true } }],
    });
    assert.deepEqual(bare.organizations, { created: 0, updated: 0, unchanged: 1 });
    const lab = await t.db.getRepository(Workspace).findOneByOrFail({ slug: 'acme-lab' });
    assert.deepEqual(lab.modules, { Boards: false, Booking: true, CurrencyRates: false, EntitlementOperations: false, WorkInbox: false });
    assert.equal(lab.locale, null);
  });

  it('a second load of the same file changes nothing at all', async () => {
    const before = await snapshot(t.db);
    const summary = await seed(t.db, t.config, contractExample(legacyHash));
    assert.deepEqual(summary, {
      organizations: { created: 0, updated: 0, unchanged: 1 },
      users: { created: 0, updated: 0, unchanged: 3 },
      workspaces: { created: 0, updated: 0, unchanged: 1 },
      memberships: { created: 0, updated: 0, unchanged: 1 },
      sessionsEnded: 0,
    });
    assert.deepEqual(await snapshot(t.db), before);
  });
});

describe('re-loading a changed fixture', () => {
  let t: TestApp;
  const fixture = () => ({
    organizations: [{ slug: 'initech', name: 'Initech' }],
    users: [
      { email: 'peter@initech.example', organization: 'initech', firstName: 'Peter', lastName: 'Gibbons', accessRole: 'MEMBER', password: PASSWORD },
      { email: 'samir@initech.example', organization: 'initech', firstName: 'Samir', lastName: 'N.', accessRole: 'MEMBER', password: PASSWORD },
    ],
    workspaces: [
      {
        slug: 'initech-hq',
        organization: 'initech',
        name: 'HQ',
        locale: 'en-US',
        roles: [
          { name: 'Coder', permissions: ['tps.write'] },
          { name: 'Lead', permissions: ['tps.write', 'tps.approve'] },
        ],
      },
      { slug: 'initech-lab', organization: 'initech', name: 'Lab', roles: [{ name: 'Coder', permissions: ['lab.use'] }] },
    ],
    memberships: [
      { workspace: 'initech-hq', email: 'peter@initech.example', roles: ['Coder'], default: true },
      { workspace: 'initech-lab', email: 'peter@initech.example', roles: ['Coder'] },
    ],
  });
  before(async () => {
    t = await startTestApp();
    await seed(t.db, t.config, fixture());
  });
  after(() => t.close());

  it('updates records in place: same ids, new values, counted as updated', async () => {
    const ids = async () => ({
      org: (await t.db.getRepository(Organization).findOneByOrFail({ slug: 'initech' })).id,
      peter: (await t.db.getRepository(User).findOneByOrFail({ email: 'peter@initech.example' })).id,
      hq: (await t.db.getRepository(Workspace).findOneByOrFail({ slug: 'initech-hq' })).id,
    });
    const before = await ids();
    const changed = fixture();
    changed.organizations[0].name = 'Initech Corp';
    changed.users[0].lastName = 'Gibbons-Smith';
    changed.workspaces[0].locale = 'en-GB';
    changed.memberships[0].roles = ['Coder', 'Lead'];
    // Move the default: the old default is cleared before the new one is set (one default per user).
    changed.memberships[0].default = false;
    changed.memberships[1].default = true;

    const summary = await seed(t.db, t.config, changed);
    assert.deepEqual(summary.organizations, { created: 0, updated: 1, unchanged: 0 });
    assert.deepEqual(summary.users, { created: 0, updated: 1, unchanged: 1 });
    assert.deepEqual(summary.workspaces, { created: 0, updated: 1, unchanged: 1 });
    assert.deepEqual(summary.memberships, { created: 0, updated: 2, unchanged: 0 });
    assert.deepEqual(await ids(), before);

    const res = await login(t, 'peter@initech.example', PASSWORD);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.user.fullName, 'Peter Gibbons-Smith');
    const ws = await post(`${t.url}/api/workspace/auth/login`, { UserNameOrEmail: 'peter@initech.example', Password: PASSWORD });
    assert.equal(ws.status, 200, ws.text);
    assert.equal(ws.body.Data.WorkspaceName, 'initech-lab', 'the default moved');
    const hq = await t.db.getRepository(WorkspaceMembership).findOneByOrFail({ workspaceId: before.hq, userId: before.peter });
    assert.deepEqual(hq.roles, ['Coder', 'Lead']);
    assert.equal(hq.isDefault, false);
  });

  it('a password that still matches keeps the hash and the sessions', async () => {
    const session = await login(t, 'samir@initech.example', PASSWORD);
    assert.equal(session.status, 200, session.text);
    const hashBefore = (await t.db.getRepository(User).findOneByOrFail({ email: 'samir@initech.example' })).passwordHash;
    const summary = await seed(t.db, t.config, fixture());
    assert.equal(summary.sessionsEnded, 0);
    const hashAfter = (await t.db.getRepository(User).findOneByOrFail({ email: 'samir@initech.example' })).passwordHash;
    assert.equal(hashAfter, hashBefore);
    assert.equal((await get(`${t.url}/api/auth/me`, { token: session.body.token })).status, 200);
    const refreshed = await post(`${t.url}/api/auth/refresh`, { refreshToken: session.body.refreshToken });
    assert.equal(refreshed.status, 200, refreshed.text);
  });

  it('a new password replaces the hash and ends every session of that user', async () => {
    const session = await login(t, 'samir@initech.example', PASSWORD);
    assert.equal(session.status, 200, session.text);
    const changed = fixture();
    changed.users[1].password = 'a-brand-new-password';
    const summary = await seed(t.db, t.config, changed);
    assert.equal(summary.sessionsEnded >= 1, true);
    assert.deepEqual(summary.users, { created: 0, updated: 1, unchanged: 1 });

    const me = await get(`${t.url}/api/auth/me`, { token: session.body.token });
    assert.equal(me.status, 401);
    assert.equal(me.body.code, 'SESSION_REVOKED');
    assert.equal((await login(t, 'samir@initech.example', PASSWORD)).status, 401);
    assert.equal((await login(t, 'samir@initech.example', 'a-brand-new-password')).status, 200);
  });

  it('deactivating a user ends their sessions and refuses their logins', async () => {
    const session = await login(t, 'peter@initech.example', PASSWORD);
    assert.equal(session.status, 200, session.text);
    const changed = fixture();
    Object.assign(changed.users[0], { active: false });
    const summary = await seed(t.db, t.config, changed);
    assert.equal(summary.sessionsEnded >= 1, true);
    assert.equal((await get(`${t.url}/api/auth/me`, { token: session.body.token })).status, 401);
    assert.equal((await login(t, 'peter@initech.example', PASSWORD)).status, 401);
  });
});

describe('a fixture that collides with the database', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    const globex = await createOrganization(t.db, { slug: 'globex', name: 'Globex' });
    await createUser(t.db, globex, { email: 'hank@globex.example', userName: 'hank' });
  });
  after(() => t.close());

  it('is refused with path-named problems and nothing of it is written', async () => {
    const before = await snapshot(t.db);
    await assert.rejects(
      seed(t.db, t.config, {
        organizations: [{ slug: 'acme', name: 'Acme' }],
        users: [
          { email: 'Hank@globex.example', organization: 'acme', accessRole: 'MEMBER', password: PASSWORD },
          { email: 'hank2@acme.example', organization: 'acme', accessRole: 'MEMBER', password: PASSWORD, userName: 'HANK' },
        ],
      }),
      (err: unknown) => {
        assert.ok(err instanceof FixtureRejectedError);
        assert.deepEqual(err.problems, [
          {
            path: 'users[0].organization',
            message: '"hank@globex.example" already belongs to organization "globex"; users are not moved between organizations',
          },
          { path: 'users[1].userName', message: '"HANK" is already the user name of another user' },
        ]);
        return true;
      },
    );
    assert.deepEqual(await snapshot(t.db), before);
  });
});
