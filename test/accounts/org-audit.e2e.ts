import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AccessRole } from '../../src/identity/users/user.entity';
import { createOrganization, createUser } from '../support/factories';
import { get, post, request } from '../support/http';
import { assertApiError } from '../auth/auth-helpers';
import { redeem, ticketFor } from '../impersonation/fixture';
import { signIn } from '../support/sign-in';
import { AccountsWorld, startAccountsWorld } from './accounts-fixture';

describe('GET /api/organizations/{orgId}/audit', () => {
  let w: AccountsWorld;
  let adminToken: string;
  let auditUrl: string;
  let created: string;

  before(async () => {
    w = await startAccountsWorld();
    adminToken = (await signIn(w.t, w.admin.email)).token;
    auditUrl = `${w.t.url}/api/organizations/${w.org.id}/audit`;
    const users = `${w.t.url}/api/organizations/${w.org.id}/users`;
    created = (await post(users, { email: 'audited@acme.example', firstName: 'Au', lastName: 'Dited' }, { token: adminToken })).body.user.id;
    await request('PATCH', `${users}/${created}`, { accessRole: 'ADMIN' }, { token: adminToken });
    await request('PATCH', `${users}/${created}`, { active: false }, { token: adminToken });
    // Another organization's events never show.
    const other = await createOrganization(w.t.db, { name: 'Elsewhere' });
    const otherAdmin = await createUser(w.t.db, other, { email: 'boss@elsewhere.example', accessRole: AccessRole.ADMIN });
    const otherToken = (await signIn(w.t, otherAdmin.email)).token;
    await post(`${w.t.url}/api/organizations/${other.id}/users`, { email: 'x@elsewhere.example', firstName: 'X', lastName: 'Y' }, { token: otherToken });
  });
  after(() => w.close());

  it("lists the organization's events newest first with actor, target, ip and details", async () => {
    const res = await get(auditUrl, { token: adminToken, headers: {} });
    assert.equal(res.status, 200, res.text);
    const types = res.body.items.map((e: { type: string }) => e.type);
    assert.deepEqual(types, ['user.deactivated', 'user.role_changed', 'user.invited', 'user.created'].filter((t) => types.includes(t)));
    assert.equal(types.length, 4);
    const [deactivated] = res.body.items;
    assert.deepEqual(Object.keys(deactivated).sort(), ['actor', 'details', 'id', 'impersonator', 'ip', 'occurredAt', 'targetUser', 'type', 'userAgent']);
    assert.deepEqual(deactivated.actor, { id: w.admin.id, email: w.admin.email });
    assert.deepEqual(deactivated.targetUser, { id: created, email: 'audited@acme.example' });
    assert.equal(deactivated.impersonator, null);
    assert.equal(deactivated.ip, '127.0.0.1');
    assert.deepEqual(deactivated.details, { sessionsEnded: 0 });
    assert.equal(res.body.nextCursor, null);
  });

  it('pages by cursor and filters by type, actor, target and time', async () => {
    const page1 = await get(`${auditUrl}?limit=3`, { token: adminToken });
    assert.equal(page1.body.items.length, 3);
    assert.ok(page1.body.nextCursor);
    const page2 = await get(`${auditUrl}?limit=3&cursor=${page1.body.nextCursor}`, { token: adminToken });
    assert.equal(page2.body.items.length, 1);
    assert.equal(page2.body.nextCursor, null);
    const ids = [...page1.body.items, ...page2.body.items].map((e: { id: string }) => e.id);
    assert.equal(new Set(ids).size, 4);
    const byType = await get(`${auditUrl}?type=user.role_changed`, { token: adminToken });
    assert.deepEqual(byType.body.items.map((e: { details: unknown }) => e.details), [{ before: 'MEMBER', after: 'ADMIN' }]);
    assert.equal((await get(`${auditUrl}?targetUserId=${created}`, { token: adminToken })).body.items.length, 4);
    assert.equal((await get(`${auditUrl}?actorId=${w.member.id}`, { token: adminToken })).body.items.length, 0);
    assert.equal((await get(`${auditUrl}?since=2999-01-01T00:00:00Z`, { token: adminToken })).body.items.length, 0);
    assert.equal((await get(`${auditUrl}?until=2999-01-01T00:00:00Z`, { token: adminToken })).body.items.length, 4);
    for (const bad of ['limit=101', 'limit=0', 'since=yesterday', 'actorId=42', 'cursor=bm90LWEtY3Vyc29y', 'type=DROP%20TABLE', 'extra=1']) {
      assertApiError(await get(`${auditUrl}?${bad}`, { token: adminToken }), 400, 'VALIDATION_FAILED');
    }
  });

  it('names the impersonator of an action taken in an impersonated session', async () => {
    const target = await createUser(w.t.db, w.org, { email: 'seen@acme.example' });
    const imp = await redeem(w.t, target.email, await ticketFor(w.t, adminToken, target.id));
    assert.equal(imp.status, 200, imp.text);
    // Ending the impersonated session from inside it: an audited action of that session.
    assert.equal((await post(`${w.t.url}/api/auth/logout`, undefined, { token: imp.body.token })).status, 204);
    const res = await get(`${auditUrl}?type=impersonation.ended`, { token: adminToken });
    assert.equal(res.body.items.length, 1, res.text);
    assert.deepEqual(res.body.items[0].impersonator, { id: w.admin.id, email: w.admin.email });
    assert.deepEqual(res.body.items[0].targetUser, { id: target.id, email: target.email });
  });

  it('is for ADMINs of the organization in their own session', async () => {
    const member = await signIn(w.t, w.member.email);
    assertApiError(await get(auditUrl, { token: member.token }), 403, 'FORBIDDEN');
    const imp = await redeem(w.t, w.member.email, await ticketFor(w.t, adminToken, w.member.id));
    assertApiError(await get(auditUrl, { token: imp.body.token }), 403, 'IMPERSONATION_RESTRICTED');
    assertApiError(await get(`${w.t.url}/api/organizations/00000000-0000-4000-8000-000000000000/audit`, { token: adminToken }), 404, 'NOT_FOUND');
  });
});
