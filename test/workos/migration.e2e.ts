import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import bcrypt from 'bcryptjs';
import { createIdentityProvider } from '../../src/auth/identity-provider/identity-provider.factory';
import { WorkosMigrator } from '../../src/auth/identity-provider/migration/workos-migrator';
import type { Organization } from '../../src/identity/organizations/organization.entity';
import { User } from '../../src/identity/users/user.entity';
import { WorkosAccountsService } from '../../src/identity/users/workos-accounts.service';
import { createOrganization, createUser, hashOf, PASSWORD } from '../support/factories';
import { post } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { WorkosStandIn } from '../support/workos-stand-in';

interface LocalRow {
  id: string;
  email: string;
  password_hash: string | null;
  workos_user_id: string | null;
  migrated_at: Date | null;
}

describe('WorkOS migration (WorkosMigrator against the stand-in)', () => {
  let t: TestApp;
  let workos: WorkosStandIn;
  let sleeps: number[];
  let waits: string[];

  /** The migrator as `npm run workos:migrate` builds it, with time recorded instead of spent. */
  function migrator(options: { maxRateLimitWaits?: number } = {}) {
    const provider = createIdentityProvider({ ...t.config.workos, ...workos.config() }, { maxRetries: 0, maxRetryAfterSeconds: null });
    return new WorkosMigrator(new WorkosAccountsService(t.db.getRepository(User)), provider, {
      now: () => new Date(),
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      onWait: (seconds, why) => waits.push(`${why}: ${seconds}s`),
      ...options,
    });
  }

  async function orgWithUsers(count: number, prefix = 'user'): Promise<{ org: Organization; users: User[] }> {
    const org = await createOrganization(t.db);
    const users: User[] = [];
    for (let i = 0; i < count; i++) {
      users.push(await createUser(t.db, org, { email: `${prefix}${i}-${org.slug}@example.test`, firstName: `First${i}`, lastName: `Last${i}` }));
    }
    return { org, users };
  }

  async function rows(org: Organization): Promise<LocalRow[]> {
    return t.db.query(`SELECT id, email, password_hash, workos_user_id, migrated_at FROM users WHERE organization_id = $1 ORDER BY created_at, id`, [org.id]);
  }

  /** The invariant at every moment: a user has a local hash, or is fully migrated. */
  function assertNobodyWithoutCredentials(all: LocalRow[]) {
    for (const r of all) {
      assert.ok(r.password_hash !== null || (r.migrated_at !== null && r.workos_user_id !== null), `${r.email} has no credentials`);
    }
  }

  function assertNoDuplicates() {
    const emails = workos.allUsers().map((u) => u.email.toLowerCase());
    assert.equal(new Set(emails).size, emails.length, `duplicates in WorkOS: ${emails.join(', ')}`);
  }

  before(async () => {
    workos = await WorkosStandIn.start();
    t = await startTestApp({ config: { workos: { ...workos.config(), timeoutMs: 1000, maxRetries: 0 } } });
  });
  after(async () => {
    await t.close();
    await workos.close();
  });
  beforeEach(async () => {
    workos.reset();
    sleeps = [];
    waits = [];
    await workos.restart();
  });

  it('imports the bcrypt hashes of one organization, links and marks its users, and leaves other organizations alone', async () => {
    const { org, users } = await orgWithUsers(3);
    const inactive = await createUser(t.db, org, { email: `inactive-${org.slug}@example.test`, active: false });
    const other = await orgWithUsers(1, 'other');
    const hashBefore = users[0].passwordHash;

    const report = await migrator().run({ organizationIds: [org.id], concurrency: 2 });
    assert.deepEqual(report, { total: 4, processed: 4, created: 3, linked: 0, confirmed: 0, skipped: 1, failed: 0, aborted: null });

    const creates = workos.requestsTo('POST', '/user_management/users');
    assert.equal(creates.length, 3);
    const sent = creates.find((c) => c.body.external_id === users[0].id)?.body;
    assert.deepEqual(sent, {
      email: users[0].email,
      password_hash: hashBefore,
      password_hash_type: 'bcrypt',
      first_name: 'First0',
      last_name: 'Last0',
      email_verified: true,
      external_id: users[0].id,
    });
    for (const r of await rows(org)) {
      if (r.id === inactive.id) {
        assert.equal(r.migrated_at, null);
        assert.ok(r.password_hash, 'an inactive user keeps the local hash and is not sent to WorkOS');
        continue;
      }
      const remote = workos.usersWithEmail(r.email);
      assert.equal(remote.length, 1);
      assert.equal(r.workos_user_id, remote[0].id);
      assert.ok(r.migrated_at);
      assert.equal(r.password_hash, null, 'the local hash is gone once WorkOS confirmed');
    }
    const [otherRow] = await rows(other.org);
    assert.equal(otherRow.migrated_at, null);
    assert.equal(workos.usersWithEmail(otherRow.email).length, 0);
  });

  it('lets migrated users sign in with their old password, now verified by WorkOS (the imported bcrypt hash)', async () => {
    const { org, users } = await orgWithUsers(1, 'signin');
    await migrator().run({ organizationIds: [org.id], concurrency: 1 });
    const ok = await post(`${t.url}/api/auth/login`, { email: users[0].email, password: PASSWORD });
    assert.equal(ok.status, 200, ok.text);
    const wrong = await post(`${t.url}/api/auth/login`, { email: users[0].email, password: 'nope-nope' });
    assert.equal(wrong.status, 401);
    assert.equal(workos.requestsTo('POST', '/user_management/authenticate').length, 2, 'both checked by WorkOS');
  });

  it('is idempotent: a second run finds nothing to do and sends nothing', async () => {
    const { org } = await orgWithUsers(2, 'idem');
    await migrator().run({ organizationIds: [org.id], concurrency: 2 });
    const before = workos.requests.length;
    const again = await migrator().run({ organizationIds: [org.id], concurrency: 2 });
    assert.equal(again.total, 0);
    assert.equal(workos.requests.length, before);
    assertNoDuplicates();
  });

  it('survives WorkOS going away half-way: stops, keeps every password usable, and a rerun finishes without duplicates', async () => {
    const { org } = await orgWithUsers(6, 'crash');
    workos.refuseAfterCreating(3);
    const first = await migrator().run({ organizationIds: [org.id], concurrency: 1 });
    assert.equal(first.created, 2);
    assert.match(first.aborted ?? '', /unavailable/);
    assert.ok(first.processed < 6, 'the run stopped instead of failing everyone');

    const midway = await rows(org);
    assertNobodyWithoutCredentials(midway);
    const half = midway.filter((r) => r.workos_user_id !== null && r.migrated_at === null);
    assert.equal(half.length, 1, 'the third user: created in WorkOS and linked, not yet confirmed');
    assert.ok(half[0].password_hash, 'and still holds its local hash');
    const local = await post(`${t.url}/api/auth/login`, { email: half[0].email, password: PASSWORD });
    assert.equal(local.status, 200, 'a half-migrated user still signs in locally');

    await workos.restart();
    const second = await migrator().run({ organizationIds: [org.id], concurrency: 1 });
    assert.equal(second.failed, 0);
    assert.equal(second.confirmed, 1);
    assert.equal(second.created, 6 - 3);
    assert.equal(second.aborted, null);
    assertNoDuplicates();
    assert.equal(workos.allUsers().length, 6);
    for (const r of await rows(org)) {
      assert.ok(r.migrated_at && r.workos_user_id && r.password_hash === null, `${r.email} migrated`);
    }
  });

  it('takes over its own earlier import when WorkOS says email_not_available (crash after createUser), sending the current hash', async () => {
    const { org, users } = await orgWithUsers(1, 'taken-over');
    const earlier = workos.addUser({ email: users[0].email, externalId: users[0].id, passwordHash: await hashOf('an-older-password'), passwordHashType: 'bcrypt' });
    const report = await migrator().run({ organizationIds: [org.id], concurrency: 1 });
    assert.equal(report.linked, 1, JSON.stringify(report));
    assert.equal(workos.allUsers().length, 1, 'no duplicate');
    const [row] = await rows(org);
    assert.equal(row.workos_user_id, earlier.id);
    assert.equal(row.password_hash, null);
    assert.ok(bcrypt.compareSync(PASSWORD, earlier.passwordHash as string), 'WorkOS now holds the current hash');
    assert.equal(workos.requestsTo('GET', '/user_management/users').filter((r) => r.query.get('email') === users[0].email).length, 1);
  });

  it("never takes over someone else's WorkOS account with the same email: failed, hash kept, not linked", async () => {
    const { org, users } = await orgWithUsers(1, 'foreign');
    workos.addUser({ email: users[0].email, externalId: null, password: 'their-own' });
    workos.addUser({ email: `x${users[0].email}`, externalId: users[0].id });
    const report = await migrator().run({ organizationIds: [org.id], concurrency: 1 });
    assert.equal(report.failed, 1);
    const [row] = await rows(org);
    assert.deepEqual([row.workos_user_id, row.migrated_at, row.password_hash], [null, null, users[0].passwordHash]);
  });

  it('confirms a user linked earlier whose WorkOS account has no password yet (SSO-linked): sends the hash and its external id', async () => {
    const { org, users } = await orgWithUsers(1, 'sso-linked');
    const remote = workos.addUser({ email: users[0].email, externalId: null });
    await t.db.query(`UPDATE users SET workos_user_id = $1 WHERE id = $2`, [remote.id, users[0].id]);
    const report = await migrator().run({ organizationIds: [org.id], concurrency: 1 });
    assert.equal(report.confirmed, 1, JSON.stringify(report));
    const [put] = workos.requestsTo('PUT', `/user_management/users/${remote.id}`);
    assert.deepEqual(put.body, { password_hash: users[0].passwordHash, password_hash_type: 'bcrypt', external_id: users[0].id });
    const res = await post(`${t.url}/api/auth/login`, { email: users[0].email, password: PASSWORD });
    assert.equal(res.status, 200, res.text);
  });

  it('re-imports a linked user whose WorkOS account no longer exists', async () => {
    const { org, users } = await orgWithUsers(1, 'vanished');
    await t.db.query(`UPDATE users SET workos_user_id = 'user_01GONE' WHERE id = $1`, [users[0].id]);
    const report = await migrator().run({ organizationIds: [org.id], concurrency: 1 });
    assert.equal(report.created, 1, JSON.stringify(report));
    const [row] = await rows(org);
    assert.equal(row.workos_user_id, workos.usersWithEmail(users[0].email)[0].id);
  });

  it('honours a 429 Retry-After (waits exactly that long, then retries) and a 429 without one (1 s)', async () => {
    const { org } = await orgWithUsers(1, 'rate');
    workos.enqueue(
      { match: { method: 'POST', path: '/user_management/users' }, status: 429, body: { message: 'Slow down.' }, headers: { 'retry-after': '7' } },
      { match: { method: 'GET', path: '/user_management/users/' }, status: 429, body: { message: 'Slow down.' } },
    );
    const report = await migrator().run({ organizationIds: [org.id], concurrency: 1 });
    assert.equal(report.created, 1, JSON.stringify(report));
    assert.deepEqual(sleeps, [7000, 1000]);
    assert.deepEqual(waits, ['rate limited by WorkOS (Retry-After): 7s', 'rate limited by WorkOS: 1s']);
    assert.equal(workos.requestsTo('POST', '/user_management/users').length, 2);
    assertNoDuplicates();
  });

  it('gives up on a user after too many 429s, keeping the local hash for the next run', async () => {
    const { org, users } = await orgWithUsers(1, 'rate-out');
    const limited = { match: { method: 'POST', path: '/user_management/users' }, status: 429, body: { message: 'Slow down.' }, headers: { 'retry-after': '2' } };
    workos.enqueue(limited, limited, limited);
    const report = await migrator({ maxRateLimitWaits: 2 }).run({ organizationIds: [org.id], concurrency: 1 });
    assert.equal(report.failed, 1);
    assert.deepEqual(sleeps, [2000, 2000]);
    const [row] = await rows(org);
    assert.equal(row.password_hash, users[0].passwordHash);
  });

  it('does not clear a hash that changed while the import was in flight (new password): failed, rerun sends the new one', async () => {
    const { org, users } = await orgWithUsers(1, 'changed');
    workos.enqueue({ match: { method: 'GET', path: '/user_management/users/' }, delayMs: 400 });
    const running = migrator().run({ organizationIds: [org.id], concurrency: 1 });
    while (workos.requestsTo('GET', '/user_management/users/').length === 0) await new Promise((r) => setTimeout(r, 10));
    const newHash = await hashOf('a-brand-new-password');
    await t.db.query(`UPDATE users SET password_hash = $1 WHERE id = $2`, [newHash, users[0].id]);
    const report = await running;
    assert.equal(report.failed, 1, JSON.stringify(report));
    let [row] = await rows(org);
    assert.equal(row.password_hash, newHash, 'the new password stays usable');
    assert.equal(row.migrated_at, null);

    const rerun = await migrator().run({ organizationIds: [org.id], concurrency: 1 });
    assert.equal(rerun.confirmed, 1, JSON.stringify(rerun));
    [row] = await rows(org);
    assert.ok(bcrypt.compareSync('a-brand-new-password', workos.usersWithEmail(users[0].email)[0].passwordHash as string));
    assert.equal(row.password_hash, null);
  });

  it('migrates many users concurrently without duplicates', async () => {
    const { org } = await orgWithUsers(12, 'many');
    const report = await migrator().run({ organizationIds: [org.id], concurrency: 5 });
    assert.equal(report.created, 12);
    assertNoDuplicates();
  });

  it('plans a dry run without writing anything, here or at WorkOS', async () => {
    const { org, users } = await orgWithUsers(2, 'dry');
    await t.db.query(`UPDATE users SET workos_user_id = 'user_01LINKED' WHERE id = $1`, [users[1].id]);
    const before = await rows(org);
    const plan = await migrator().plan([org.id]);
    assert.deepEqual(
      plan.plan.map((p) => [p.email, p.planned]),
      [
        [users[0].email, 'import'],
        [users[1].email, 'confirm'],
      ],
    );
    assert.deepEqual(await rows(org), before);
    assert.equal(workos.requests.length, 0);
  });

  it('stops at once when WorkOS refuses the API key, failing nobody else', async () => {
    const { org } = await orgWithUsers(3, 'badkey');
    const provider = createIdentityProvider({ ...t.config.workos, ...workos.config(), apiKey: 'sk_wrong' }, { maxRetries: 0, maxRetryAfterSeconds: null });
    const report = await new WorkosMigrator(new WorkosAccountsService(t.db.getRepository(User)), provider, { now: () => new Date() }).run({
      organizationIds: [org.id],
      concurrency: 1,
    });
    assert.equal(report.processed, 1);
    assert.match(report.aborted ?? '', /WORKOS_API_KEY/);
    assert.equal(workos.allUsers().length, 0);
  });
});
