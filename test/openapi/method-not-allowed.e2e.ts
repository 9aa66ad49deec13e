import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { request } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';

/** A wrong method on a path that exists: 405 with Allow, in the shape of its API; an unknown path stays 404. */
describe('wrong methods', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('answers 405 METHOD_NOT_ALLOWED with Allow on /api/auth and /api/organizations paths', async () => {
    const me = await request('DELETE', `${t.url}/api/auth/me`);
    assert.equal(me.status, 405, me.text);
    assert.equal(me.headers.get('allow'), 'GET');
    assert.deepEqual({ ...me.body, message: undefined }, { statusCode: 405, code: 'METHOD_NOT_ALLOWED', message: undefined });
    assert.equal(me.headers.get('cache-control'), 'no-store');
    const policy = await request('POST', `${t.url}/api/organizations/64a1b2c3-d4e5-4f60-8123-456789abcdef/session-policy`, {});
    assert.equal(policy.status, 405, policy.text);
    assert.deepEqual(policy.headers.get('allow')?.split(', ').sort(), ['GET', 'PUT']);
  });

  it('answers 405 in the seed envelope under /api/workspace', async () => {
    const res = await request('GET', `${t.url}/api/workspace/auth/login`);
    assert.equal(res.status, 405, res.text);
    assert.equal(res.headers.get('allow'), 'POST');
    assert.equal(res.body.Success, false);
    assert.equal(res.body.Data, null);
    assert.equal(res.body.Errors.length, 1);
  });

  it('still answers 404 NOT_FOUND for a path that does not exist, whatever the method', async () => {
    for (const method of ['GET', 'DELETE']) {
      const res = await request(method, `${t.url}/api/auth/nothing-here`);
      assert.equal(res.status, 404, res.text);
      assert.equal(res.body.code, 'NOT_FOUND');
    }
  });
});
