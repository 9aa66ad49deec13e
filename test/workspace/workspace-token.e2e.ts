import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import jwt from 'jsonwebtoken';
import { WorkspaceMembership } from '../../src/workspace/workspace-membership.entity';
import { FakeClock } from '../support/fake-clock';
import { PASSWORD } from '../support/factories';
import { get, post } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { claimsOf, createWorkspaceFixture, WorkspaceFixture } from './fixture';

const ME = '/api/workspace/auth/me';

describe('the workspace access token', () => {
  let t: TestApp;
  let f: WorkspaceFixture;
  const clock = new FakeClock();
  const workspaceLogin = async (email: string, workspace?: string) => {
    const res = await post(
      `${t.url}/api/workspace/auth/login`,
      { UserNameOrEmail: email, Password: PASSWORD },
      workspace ? { headers: { 'x-workspace': workspace } } : {},
    );
    assert.equal(res.status, 200, res.text);
    return res.body;
  };
  const errorOf = (body: any) => [body.Errors[0]?.Code, body.Errors[0]?.Type, body.Success, body.Data];

  before(async () => {
    t = await startTestApp({ clock });
    f = await createWorkspaceFixture(t.db);
  });
  beforeEach(() => clock.set(Date.now()));
  after(() => t.close());

  it('GET /api/workspace/auth/me answers the login\'s Data without AccessToken, and its warnings', async () => {
    const login = await workspaceLogin('ops@acme.example', 'acme-us');
    const me = await get(`${t.url}${ME}`, { token: login.Data.AccessToken });
    assert.equal(me.status, 200, me.text);
    const { AccessToken: _token, ...expected } = login.Data;
    assert.deepEqual(me.body, { Data: expected, Errors: [], Warnings: login.Warnings, Success: true });
  });

  it('is refused on /api/auth bearer routes: another audience', async () => {
    const login = await workspaceLogin('ops@acme.example');
    const me = await get(`${t.url}/api/auth/me`, { token: login.Data.AccessToken });
    assert.equal(me.status, 401);
    assert.equal(me.body.code, 'TOKEN_INVALID');
    const logout = await post(`${t.url}/api/auth/logout`, undefined, { token: login.Data.AccessToken });
    assert.equal(logout.status, 401);
    // The refused logout did not end the workspace session.
    assert.equal((await get(`${t.url}${ME}`, { token: login.Data.AccessToken })).status, 200);
  });

  it('refuses an /api/auth access token on workspace routes with a 401 envelope', async () => {
    const access = await post(`${t.url}/api/auth/login`, { email: 'ops@acme.example', password: PASSWORD });
    assert.equal(access.status, 200, access.text);
    const me = await get(`${t.url}${ME}`, { token: access.body.token });
    assert.equal(me.status, 401);
    assert.deepEqual(errorOf(me.body), ['TokenInvalid', 1, false, null]);
  });

  it('refuses a missing or garbage bearer token with a 401 envelope', async () => {
    for (const token of [undefined, 'not-a-jwt']) {
      const me = await get(`${t.url}${ME}`, token ? { token } : {});
      assert.equal(me.status, 401, me.text);
      assert.deepEqual(errorOf(me.body), ['TokenInvalid', 1, false, null]);
    }
  });

  it('refuses a correctly signed token whose wsp names another workspace than its session\'s', async () => {
    const login = await workspaceLogin('ops@acme.example', 'acme-eu');
    const claims = claimsOf(login.Data.AccessToken);
    const forged = jwt.sign({ ...claims, wsp: 'acme-us' }, t.config.jwt.current.secret, {
      algorithm: 'HS256',
      keyid: t.config.jwt.current.kid,
    });
    const me = await get(`${t.url}${ME}`, { token: forged });
    assert.equal(me.status, 401, me.text);
    assert.deepEqual(errorOf(me.body), ['TokenInvalid', 1, false, null]);
  });

  it('POST /api/workspace/auth/logout ends the session at once: the token then gets SessionRevoked', async () => {
    const login = await workspaceLogin('ops@acme.example');
    const token = login.Data.AccessToken;
    const out = await post(`${t.url}/api/workspace/auth/logout`, undefined, { token });
    assert.equal(out.status, 200, out.text);
    assert.deepEqual(out.body, { Data: null, Errors: [], Warnings: [], Success: true });
    const me = await get(`${t.url}${ME}`, { token });
    assert.equal(me.status, 401);
    assert.deepEqual(errorOf(me.body), ['SessionRevoked', 1, false, null]);
    const [row] = await t.db.query(`SELECT end_reason FROM sessions WHERE id = $1`, [claimsOf(token).sid]);
    assert.equal(row.end_reason, 'logout');
  });

  it('ends with its token: past tokenExpiryHours the session is expired', async () => {
    const login = await workspaceLogin('ops@acme.example');
    clock.advance(3 * 3_600_000 + 1000);
    const me = await get(`${t.url}${ME}`, { token: login.Data.AccessToken });
    assert.equal(me.status, 401);
    assert.deepEqual(errorOf(me.body), ['SessionExpired', 1, false, null]);
  });

  it('reflects the membership as it is now, and loses access when the membership is removed', async () => {
    const login = await workspaceLogin('solo@acme.example');
    const token = login.Data.AccessToken;
    const memberships = t.db.getRepository(WorkspaceMembership);
    await memberships.update({ userId: f.solo.id, workspaceId: f.us.id }, { roles: ['Planner'] });
    const changed = await get(`${t.url}${ME}`, { token });
    assert.deepEqual(changed.body.Data.Permissions, ['boards.read', 'booking.read', 'booking.write']);
    await memberships.delete({ userId: f.solo.id, workspaceId: f.us.id });
    const gone = await get(`${t.url}${ME}`, { token });
    assert.equal(gone.status, 400, gone.text);
    assert.deepEqual(errorOf(gone.body), ['WorkspaceAccessDenied', 1, false, null]);
  });
});
