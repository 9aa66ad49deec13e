import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { get } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';

const REASON_CODES = [
  'SESSION_IDLE_TIMEOUT',
  'SESSION_EXPIRED',
  'SESSION_REVOKED',
  'SILENT_RENEWAL_DISABLED',
  'TOKEN_INVALID',
  'TOKEN_EXPIRED',
  'REFRESH_TOKEN_REUSED',
  'INVALID_REFRESH_TOKEN',
];
const FIELDS = [
  'enabled',
  'idleTimeoutMinutes',
  'tokenExpiryHours',
  'warningTimeMinutes',
  'idleTrackingEnabled',
  'ssoSilentRenewalEnabled',
  'ssoFallbackBehavior',
  'passwordSilentRenewalEnabled',
  'passwordFallbackBehavior',
];

describe('OpenAPI document: the session policy endpoints and the reason codes', () => {
  let t: TestApp;
  let doc: any;
  const resolve = (ref: string) => doc.components.schemas[ref.replace('#/components/schemas/', '')];
  const path = '/api/organizations/{orgId}/session-policy';

  before(async () => {
    t = await startTestApp();
    const res = await get(`${t.url}/api/docs-json`);
    assert.equal(res.status, 200);
    doc = res.body;
  });
  after(() => t.close());

  it('documents GET and PUT, bearer-guarded, with the orgId parameter and the 200, 401, 403 and 404 answers', () => {
    for (const method of ['get', 'put']) {
      const op = doc.paths[path][method];
      assert.ok(op, `${method} documented`);
      assert.ok(op.summary.includes('ADMIN'), op.summary);
      assert.deepEqual(op.security, [{ bearer: [] }]);
      assert.deepEqual(op.parameters.map((p: any) => [p.name, p.in, p.required]), [['orgId', 'path', true]]);
      for (const status of ['200', '401', '403', '404']) assert.ok(op.responses[status], `${method} ${status}`);
      assert.equal(op.responses['200'].content['application/json'].schema.$ref, '#/components/schemas/SessionPolicyDto');
      assert.deepEqual(Object.keys(op.responses['200'].content['application/json'].example), FIELDS);
      assert.equal(op.responses['403'].content['application/json'].example.code, 'FORBIDDEN');
      assert.equal(op.responses['404'].content['application/json'].example.code, 'NOT_FOUND');
    }
    const put = doc.paths[path].put;
    assert.ok(put.responses['400'], 'PUT documents its validation failure');
    assert.equal(put.responses['400'].content['application/json'].example.code, 'VALIDATION_FAILED');
    assert.match(put.description, /session_policy\.updated/);
  });

  it('describes the PUT body: nine required fields with their ranges, types, examples and enum values', () => {
    const body = doc.paths[path].put.requestBody;
    assert.equal(body.required, true);
    const content = body.content['application/json'];
    assert.ok(Object.keys(content.examples).length >= 1);
    const schema = resolve(content.schema.$ref);
    assert.deepEqual(Object.keys(schema.properties), FIELDS);
    assert.deepEqual([...schema.required].sort(), [...FIELDS].sort());
    const p = schema.properties;
    assert.deepEqual([p.idleTimeoutMinutes.type, p.idleTimeoutMinutes.minimum, p.idleTimeoutMinutes.maximum], ['integer', 1, 1440]);
    assert.deepEqual([p.tokenExpiryHours.type, p.tokenExpiryHours.minimum, p.tokenExpiryHours.maximum], ['integer', 1, 720]);
    assert.deepEqual([p.warningTimeMinutes.type, p.warningTimeMinutes.minimum, p.warningTimeMinutes.maximum], ['integer', 0, 60]);
    assert.match(p.warningTimeMinutes.description, /smaller than idleTimeoutMinutes/);
    for (const flag of ['enabled', 'idleTrackingEnabled', 'ssoSilentRenewalEnabled', 'passwordSilentRenewalEnabled']) {
      assert.equal(p[flag].type, 'boolean', flag);
    }
    for (const fallback of ['ssoFallbackBehavior', 'passwordFallbackBehavior']) {
      const ref = p[fallback].$ref ?? p[fallback].allOf?.[0]?.$ref;
      const enumSchema = ref ? resolve(ref) : p[fallback];
      assert.deepEqual(enumSchema.enum, ['redirect', 'logout'], fallback);
    }
    for (const field of FIELDS) assert.notEqual(p[field].example, undefined, `${field} has an example`);
  });

  it('names every reason code: the policy endpoints explain all of them, me and refresh list their own 401s', () => {
    for (const method of ['get', 'put']) {
      const description: string = doc.paths[path][method].description;
      for (const code of REASON_CODES) assert.ok(description.includes(code), `${method} description explains ${code}`);
    }
    const me = doc.paths['/api/auth/me'].get.responses['401'].description;
    for (const code of ['TOKEN_INVALID', 'TOKEN_EXPIRED', 'SESSION_REVOKED', 'SESSION_IDLE_TIMEOUT', 'SESSION_EXPIRED']) {
      assert.ok(me.includes(code), `GET /api/auth/me 401 lists ${code}`);
    }
    const refresh = doc.paths['/api/auth/refresh'].post.responses['401'].description;
    for (const code of ['INVALID_REFRESH_TOKEN', 'REFRESH_TOKEN_REUSED', 'SILENT_RENEWAL_DISABLED', 'SESSION_IDLE_TIMEOUT', 'SESSION_EXPIRED']) {
      assert.ok(refresh.includes(code), `POST /api/auth/refresh 401 lists ${code}`);
    }
    const errorCodes = doc.components.schemas.ApiErrorCode.enum;
    for (const code of REASON_CODES) assert.ok(errorCodes.includes(code), `the ApiErrorCode enum has ${code}`);
  });
});
