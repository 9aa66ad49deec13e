import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createOrganization, createUser, PASSWORD } from '../support/factories';
import { get, post } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';

describe('POST /api/auth/login with a password', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    const org = await createOrganization(t.db, { slug: 'acme', name: 'Acme' });
    await createUser(t.db, org, { email: 'ops@acme.example', firstName: 'Acme', lastName: 'Admin', accessRole: 'ADMIN' as never });
  });
  after(() => t.close());

  it('answers 200 with the seed response shape', async () => {
    const res = await post(`${t.url}/api/auth/login`, { email: 'ops@acme.example', password: PASSWORD });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(Object.keys(res.body).sort(), ['refreshToken', 'session', 'sessionConfig', 'token', 'user']);
    assert.match(res.body.refreshToken, /^rt_[0-9a-f]{32}$/);
    assert.equal(res.body.user.fullName, 'Acme Admin');
    const me = await get(`${t.url}/api/auth/me`, { token: res.body.token });
    assert.equal(me.status, 200, me.text);
    assert.equal(me.body.user.email, 'ops@acme.example');
  });

  it('refuses a wrong password with INVALID_CREDENTIALS', async () => {
    const res = await post(`${t.url}/api/auth/login`, { email: 'ops@acme.example', password: 'nope' });
    assert.equal(res.status, 401);
    assert.equal(res.body.code, 'INVALID_CREDENTIALS');
  });
});
