import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { PASSWORD } from '../support/factories';
import { post } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { WorkosStandIn } from '../support/workos-stand-in';
import { claimsOf, createWorkspaceFixture, WorkspaceFixture } from './fixture';

const LOGIN = '/api/workspace/auth/login';
const WORKOS_PASSWORD = 'Known-Only-To-WorkOS-7';

describe('POST /api/workspace/auth/login for a user migrated to WorkOS (the real SDK against the stand-in)', () => {
  let t: TestApp;
  let workos: WorkosStandIn;
  let fx: WorkspaceFixture;

  before(async () => {
    workos = await WorkosStandIn.start();
    t = await startTestApp({ config: { workos: { ...workos.config(), timeoutMs: 1000, maxRetries: 0 } } });
    fx = await createWorkspaceFixture(t.db);
  });
  beforeEach(async () => {
    workos.reset();
    await workos.restart();
    workos.addUser({ id: fx.migrated.workosUserId ?? '', email: fx.migrated.email, password: WORKOS_PASSWORD });
  });
  after(async () => {
    await t.close();
    await workos.close();
  });

  const login = (password: string) => post(`${t.url}${LOGIN}`, { UserNameOrEmail: 'MIGRATED@acme.example', Password: password });

  it('signs in with the password WorkOS holds, passing the client on, and answers the whole Data', async () => {
    const res = await login(WORKOS_PASSWORD);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.Success, true);
    assert.equal(res.body.Data.Email, 'migrated@acme.example');
    assert.equal(res.body.Data.WorkspaceName, fx.eu.slug);
    assert.deepEqual(res.body.Data.Roles, ['Agent']);
    assert.equal(claimsOf(res.body.Data.AccessToken).wsp, fx.eu.slug);
    const [call] = workos.requestsTo('POST', '/user_management/authenticate');
    assert.equal(call.body.grant_type, 'password');
    assert.equal(call.body.email, 'migrated@acme.example');
    assert.equal(typeof call.body.ip_address, 'string');
  });

  it('answers a password WorkOS refuses with the same InvalidCredentials envelope as a local miss', async () => {
    const res = await login(PASSWORD);
    assert.equal(res.status, 400, res.text);
    assert.equal(res.body.Errors[0].Code, 'InvalidCredentials');
    assert.equal(res.body.Errors[0].Type, 1);
    const local = await post(`${t.url}${LOGIN}`, { UserNameOrEmail: fx.ops.email, Password: 'not-the-password' });
    assert.deepEqual(res.body, local.body);
  });

  it('answers 503 IdentityProviderUnavailable (Type 2) when WorkOS is down, and never falls back to a local hash', async () => {
    await workos.stop();
    const res = await login(WORKOS_PASSWORD);
    assert.equal(res.status, 503, res.text);
    assert.equal(res.body.Errors[0].Code, 'IdentityProviderUnavailable');
    assert.equal(res.body.Errors[0].Type, 2);
    assert.equal(res.body.Data, null);
  });
});
