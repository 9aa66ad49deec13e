import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_SESSION_POLICY, SessionPolicy } from '../../src/identity/organizations/session-policy';
import { assertApiError } from '../auth/auth-helpers';
import { FakeClock } from '../support/fake-clock';
import { request } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { signIn } from '../support/sign-in';
import { ENFORCED, getPolicy, orgWithPeople, policyUrl, putPolicy } from './fixture';

const START = Date.parse('2032-02-03T10:00:00.000Z');

describe('GET / PUT /api/organizations/{orgId}/session-policy', () => {
  const clock = new FakeClock(START);
  let t: TestApp;
  let acme: Awaited<ReturnType<typeof orgWithPeople>>;
  let globex: Awaited<ReturnType<typeof orgWithPeople>>;
  let adminToken: string;
  let memberToken: string;
  let globexAdminToken: string;

  before(async () => {
    t = await startTestApp({ clock });
    acme = await orgWithPeople(t, { idleTimeoutMinutes: 45 });
    globex = await orgWithPeople(t);
    adminToken = (await signIn(t, acme.admin.email)).body.token;
    memberToken = (await signIn(t, acme.member.email)).body.token;
    globexAdminToken = (await signIn(t, globex.admin.email)).body.token;
  });
  after(() => t.close());

  describe('access', () => {
    it('answers the resolved nine fields to an ADMIN of the organization: stored ones over the defaults, in the seed order', async () => {
      const res = await getPolicy(t, acme.org.id, adminToken);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body, { ...DEFAULT_SESSION_POLICY, idleTimeoutMinutes: 45 });
      assert.deepEqual(Object.keys(res.body), Object.keys(DEFAULT_SESSION_POLICY));
    });

    it('refuses a MEMBER of the organization with 403 FORBIDDEN, for GET and PUT, and stores nothing', async () => {
      assertApiError(await getPolicy(t, acme.org.id, memberToken), 403, 'FORBIDDEN');
      assertApiError(await putPolicy(t, acme.org.id, ENFORCED, memberToken), 403, 'FORBIDDEN');
      const [row] = await t.db.query(`SELECT session_policy FROM organizations WHERE id = $1`, [acme.org.id]);
      assert.deepEqual(row.session_policy, { idleTimeoutMinutes: 45 });
    });

    it("answers 404 NOT_FOUND to an ADMIN of another organization, and for unknown or malformed ids, never 500", async () => {
      assertApiError(await getPolicy(t, acme.org.id, globexAdminToken), 404, 'NOT_FOUND');
      assertApiError(await putPolicy(t, acme.org.id, ENFORCED, globexAdminToken), 404, 'NOT_FOUND');
      for (const id of [randomUUID(), 'not-a-uuid', '1', acme.org.id.toUpperCase(), "x' OR '1'='1", '%00']) {
        assertApiError(await getPolicy(t, encodeURIComponent(id), adminToken), 404, 'NOT_FOUND');
        assertApiError(await putPolicy(t, encodeURIComponent(id), ENFORCED, adminToken), 404, 'NOT_FOUND');
      }
      const [row] = await t.db.query(`SELECT session_policy FROM organizations WHERE id = $1`, [acme.org.id]);
      assert.deepEqual(row.session_policy, { idleTimeoutMinutes: 45 }, 'nothing written by the refused PUTs');
    });

    it('needs a bearer token: 401 TOKEN_INVALID without one or with a bad one', async () => {
      assertApiError(await getPolicy(t, acme.org.id), 401, 'TOKEN_INVALID');
      assertApiError(await putPolicy(t, acme.org.id, ENFORCED), 401, 'TOKEN_INVALID');
      assertApiError(await getPolicy(t, acme.org.id, 'not.a.jwt'), 401, 'TOKEN_INVALID');
    });
  });

  describe('PUT', () => {
    it('stores all nine fields, answers them, and GET answers the same body (which PUT takes back unchanged)', async () => {
      const { org, admin } = await orgWithPeople(t);
      const token = (await signIn(t, admin.email)).body.token;
      const policy: SessionPolicy = { ...ENFORCED, idleTimeoutMinutes: 1440, tokenExpiryHours: 720, warningTimeMinutes: 60, ssoFallbackBehavior: 'logout' };
      const res = await putPolicy(t, org.id, policy, token);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body, policy);
      assert.deepEqual(Object.keys(res.body), Object.keys(DEFAULT_SESSION_POLICY));
      const read = await getPolicy(t, org.id, token);
      assert.deepEqual(read.body, policy);
      const [row] = await t.db.query(`SELECT session_policy FROM organizations WHERE id = $1`, [org.id]);
      assert.deepEqual(row.session_policy, policy);
      assert.equal((await putPolicy(t, org.id, read.body, token)).status, 200, 'a GET body is a valid PUT body');
      // The lowest values are accepted too.
      const lowest = { ...policy, idleTimeoutMinutes: 1, tokenExpiryHours: 1, warningTimeMinutes: 0 };
      assert.deepEqual((await putPolicy(t, org.id, lowest, token)).body, lowest);
    });

    it('writes the change to the audit table: who, which organization, from where, before and after of each changed field only', async () => {
      const { org, admin } = await orgWithPeople(t, { idleTimeoutMinutes: 20 });
      const login = await signIn(t, admin.email);
      clock.advance(1_000);
      const next: SessionPolicy = { ...DEFAULT_SESSION_POLICY, enabled: true, idleTimeoutMinutes: 5, passwordSilentRenewalEnabled: true };
      const res = await request('PUT', policyUrl(t, org.id), next, { token: login.body.token, headers: { 'user-agent': 'Admin-Console/2.0' } });
      assert.equal(res.status, 200, res.text);

      const rows = await t.db.query(`SELECT * FROM audit_events WHERE organization_id = $1 AND type = 'session_policy.updated'`, [org.id]);
      assert.equal(rows.length, 1);
      const [event] = rows;
      assert.equal(event.actor_user_id, admin.id);
      assert.equal(event.session_id, login.body.session.id);
      assert.equal(event.occurred_at.getTime(), clock.nowMs());
      assert.equal(event.ip, '127.0.0.1');
      assert.equal(event.user_agent, 'Admin-Console/2.0');
      assert.deepEqual(event.details, {
        changes: {
          enabled: { before: false, after: true },
          idleTimeoutMinutes: { before: 20, after: 5 },
          passwordSilentRenewalEnabled: { before: false, after: true },
        },
      });

      // The same policy again changes nothing, so there is nothing to audit.
      assert.equal((await putPolicy(t, org.id, next, login.body.token)).status, 200);
      const again = await t.db.query(`SELECT id FROM audit_events WHERE organization_id = $1 AND type = 'session_policy.updated'`, [org.id]);
      assert.equal(again.length, 1);
    });

    it('judges the role as it stands: a MEMBER promoted to ADMIN is let in once the session snapshot reloads', async () => {
      const { org, member } = await orgWithPeople(t);
      const token = (await signIn(t, member.email)).body.token;
      assertApiError(await getPolicy(t, org.id, token), 403, 'FORBIDDEN');
      await t.db.query(`UPDATE users SET access_role = 'ADMIN' WHERE id = $1`, [member.id]);
      clock.advance(t.config.sessionCacheMs);
      assert.equal((await getPolicy(t, org.id, token)).status, 200);
    });
  });

  describe('validation: each bad value answers 400 VALIDATION_FAILED naming its field, and stores nothing', () => {
    let org: Awaited<ReturnType<typeof orgWithPeople>>['org'];
    let token: string;
    before(async () => {
      const people = await orgWithPeople(t);
      org = people.org;
      token = (await signIn(t, people.admin.email)).body.token;
    });

    const BAD: [string, unknown][] = [
      ['enabled', 'true'],
      ['enabled', 1],
      ['enabled', null],
      ['idleTimeoutMinutes', 0],
      ['idleTimeoutMinutes', 1441],
      ['idleTimeoutMinutes', 1.5],
      ['idleTimeoutMinutes', '30'],
      ['idleTimeoutMinutes', -1],
      ['idleTimeoutMinutes', null],
      ['idleTimeoutMinutes', true],
      ['tokenExpiryHours', 0],
      ['tokenExpiryHours', 721],
      ['tokenExpiryHours', 2.25],
      ['tokenExpiryHours', '8'],
      ['tokenExpiryHours', [8]],
      ['warningTimeMinutes', -1],
      ['warningTimeMinutes', 61],
      ['warningTimeMinutes', 0.5],
      ['warningTimeMinutes', '2'],
      ['idleTrackingEnabled', 'false'],
      ['idleTrackingEnabled', 0],
      ['ssoSilentRenewalEnabled', 'yes'],
      ['ssoSilentRenewalEnabled', {}],
      ['ssoFallbackBehavior', 'REDIRECT'],
      ['ssoFallbackBehavior', 'login'],
      ['ssoFallbackBehavior', ''],
      ['ssoFallbackBehavior', 1],
      ['passwordSilentRenewalEnabled', 'true'],
      ['passwordFallbackBehavior', 'Logout'],
      ['passwordFallbackBehavior', null],
    ];

    async function assertRefused(body: unknown, field: string): Promise<void> {
      const res = await putPolicy(t, org.id, body, token);
      assertApiError(res, 400, 'VALIDATION_FAILED');
      assert.ok(Array.isArray(res.body.errors), res.text);
      assert.ok(
        res.body.errors.some((e: { field: string; message: string }) => e.field === field && e.message.length > 0),
        `${field} named in ${res.text}`,
      );
      for (const e of res.body.errors) assert.deepEqual(Object.keys(e), ['field', 'message']);
      const [row] = await t.db.query(`SELECT session_policy FROM organizations WHERE id = $1`, [org.id]);
      assert.deepEqual(row.session_policy, {}, 'nothing stored');
    }

    for (const [field, value] of BAD) {
      it(`refuses ${field} = ${JSON.stringify(value)}`, async () => {
        const res = await putPolicy(t, org.id, { ...ENFORCED, [field]: value }, token);
        assert.deepEqual(
          res.body.errors?.map((e: { field: string }) => e.field),
          [field],
          `only ${field} is named: ${res.text}`,
        );
        await assertRefused({ ...ENFORCED, [field]: value }, field);
      });
    }

    it('refuses each missing field, naming it', async () => {
      for (const field of Object.keys(ENFORCED)) {
        const body: Record<string, unknown> = { ...ENFORCED };
        delete body[field];
        await assertRefused(body, field);
      }
    });

    it('names every bad field at once', async () => {
      const res = await putPolicy(t, org.id, { ...ENFORCED, enabled: 'yes', tokenExpiryHours: 0, passwordFallbackBehavior: 'x' }, token);
      assertApiError(res, 400, 'VALIDATION_FAILED');
      assert.deepEqual(res.body.errors.map((e: { field: string }) => e.field).sort(), ['enabled', 'passwordFallbackBehavior', 'tokenExpiryHours']);
    });

    it('refuses a warning time not strictly smaller than the idle timeout', async () => {
      await assertRefused({ ...ENFORCED, idleTimeoutMinutes: 5, warningTimeMinutes: 5 }, 'warningTimeMinutes');
      await assertRefused({ ...ENFORCED, idleTimeoutMinutes: 5, warningTimeMinutes: 6 }, 'warningTimeMinutes');
      await assertRefused({ ...ENFORCED, idleTimeoutMinutes: 1, warningTimeMinutes: 1 }, 'warningTimeMinutes');
      const ok = await putPolicy(t, org.id, { ...ENFORCED, idleTimeoutMinutes: 1, warningTimeMinutes: 0 }, token);
      assert.equal(ok.status, 200, ok.text);
      await t.db.query(`UPDATE organizations SET session_policy = '{}' WHERE id = $1`, [org.id]);
    });

    it('refuses unknown fields, naming them', async () => {
      await assertRefused({ ...ENFORCED, absoluteTimeoutHours: 12 }, 'absoluteTimeoutHours');
      await assertRefused({ ...ENFORCED, __proto__x: 1 }, '__proto__x');
    });

    it('refuses bodies that are not a JSON object, and malformed JSON, with 400 and never 500', async () => {
      for (const body of [[], null, 'policy', 42, [ENFORCED]]) {
        const res = await putPolicy(t, org.id, body, token);
        assert.equal(res.status, 400, res.text);
        assert.match(res.body.code, /^(MALFORMED_JSON|VALIDATION_FAILED)$/);
      }
      for (const raw of ['{"enabled": tru', '']) {
        const res = await request('PUT', policyUrl(t, org.id), undefined, { token, raw, headers: { 'content-type': 'application/json' } });
        assert.equal(res.status, 400, res.text);
        assert.match(res.body.code, /^(MALFORMED_JSON|VALIDATION_FAILED)$/);
      }
      const [row] = await t.db.query(`SELECT session_policy FROM organizations WHERE id = $1`, [org.id]);
      assert.deepEqual(row.session_policy, {});
    });
  });
});
