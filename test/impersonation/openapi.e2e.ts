import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { get } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';

describe('OpenAPI: the impersonation flow end to end', () => {
  let t: TestApp;
  let doc: any;
  before(async () => {
    t = await startTestApp();
    doc = (await get(`${t.url}/api/docs-json`)).body;
  });
  after(() => t.close());

  it('documents issue → redeem → list → end, each step with an example request and its refusals', () => {
    const issue = doc.paths['/api/auth/impersonate/{userId}'].post;
    assert.ok(issue.security.some((s: object) => 'bearer' in s));
    assert.deepEqual(Object.keys(issue.requestBody.content['application/json'].examples).sort(), ['empty', 'withReason']);
    assert.ok(issue.responses['200'].content['application/json'].example.impersonationToken);
    const forbidden = Object.keys(issue.responses['403'].content['application/json'].examples);
    assert.deepEqual(forbidden, ['FORBIDDEN', 'IMPERSONATION_NESTED', 'IMPERSONATION_FORBIDDEN', 'STEP_UP_REQUIRED']);
    assert.deepEqual(Object.keys(issue.responses['404'].content['application/json'].examples), ['USER_NOT_FOUND']);

    const redeem = doc.paths['/api/auth/login'].post.requestBody.content['application/json'].examples.impersonation.value;
    assert.deepEqual(Object.keys(redeem), ['email', 'impersonationToken']);
    assert.ok(doc.paths['/api/auth/login'].post.responses['401'].content['application/json'].examples.IMPERSONATION_TOKEN_INVALID);

    const list = doc.paths['/api/auth/impersonations'].get;
    assert.ok(list.responses['200'].content['application/json'].example);
    assert.ok(list.parameters.length >= 2, 'paging and filters are documented');
    const end = doc.paths['/api/auth/impersonations/{sessionId}/end'].post;
    assert.ok(end.requestBody.content['application/json'].examples.withReason);
  });
});
