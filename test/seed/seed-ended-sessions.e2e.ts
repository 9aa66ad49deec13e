import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { auditRows, redeem, ticketFor } from '../impersonation/fixture';
import { get, post } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { seed } from './seed-helpers';

const PASSWORD = 'CorrectHorseBatteryStaple!';

const fixture = (peterActive: boolean) => ({
  organizations: [{ slug: 'initech', name: 'Initech' }],
  users: [
    { email: 'bill@initech.example', organization: 'initech', firstName: 'Bill', lastName: 'Lumbergh', accessRole: 'ADMIN', password: PASSWORD },
    { email: 'peter@initech.example', organization: 'initech', firstName: 'Peter', lastName: 'Gibbons', accessRole: 'MEMBER', password: PASSWORD, active: peterActive },
  ],
});

describe('sessions the fixture loader ends go through the one "session ended" event', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await seed(t.db, t.config, fixture(true));
  });
  after(() => t.close());

  it('an impersonated session ended by a load gets its impersonation.ended row, in the load\'s transaction', async () => {
    const admin = await post(`${t.url}/api/auth/login`, { email: 'bill@initech.example', password: PASSWORD });
    assert.equal(admin.status, 200, admin.text);
    const peterId = (await t.db.query(`SELECT id FROM users WHERE email = 'peter@initech.example'`))[0].id as string;
    const impersonated = await redeem(t, 'peter@initech.example', await ticketFor(t, admin.body.token, peterId, 'TPS reports'));
    assert.equal(impersonated.status, 200, impersonated.text);
    const own = await post(`${t.url}/api/auth/login`, { email: 'peter@initech.example', password: PASSWORD });
    assert.equal(own.status, 200, own.text);

    // A dry run ends nothing and records nothing.
    const dry = await seed(t.db, t.config, fixture(false), { dryRun: true });
    assert.equal(dry.sessionsEnded, 2);
    assert.deepEqual(await auditRows(t, 'impersonation.ended'), []);

    const summary = await seed(t.db, t.config, fixture(false));
    assert.equal(summary.sessionsEnded, 2, 'both of Peter\'s sessions: his own and the impersonated one');
    const ended = await auditRows(t, 'impersonation.ended');
    assert.equal(ended.length, 1);
    assert.equal(ended[0].sessionId, impersonated.body.session.id);
    assert.equal(ended[0].targetUserId, peterId);
    assert.equal(ended[0].actorUserId, null, 'no person ended it: the fixture loader did');
    assert.deepEqual(ended[0].details, { endReason: 'user_deactivated', impersonatorId: admin.body.user.id, endedBy: 'fixture' });
    const rows = await t.db.query(`SELECT end_reason FROM sessions WHERE user_id = $1 ORDER BY created_at`, [peterId]);
    assert.deepEqual(rows.map((r: { end_reason: string }) => r.end_reason), ['user_deactivated', 'user_deactivated']);
    assert.equal((await get(`${t.url}/api/auth/me`, { token: impersonated.body.token })).status, 401);
  });
});
