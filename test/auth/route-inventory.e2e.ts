import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { get, request } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Deny by default, made visible: every operation of the OpenAPI document is called
 * without a token, and only the routes listed here may answer anything but 401.
 * A new open route fails this test until it is added on purpose.
 */
const PUBLIC_ROUTES = [
  'GET /api/auth/workos/authorize',
  'GET /api/health',
  'GET /api/health/ready',
  'GET /.well-known/jwks.json',
  'POST /api/auth/login',
  'POST /api/auth/password/forgot',
  'POST /api/auth/password/reset',
  'POST /api/auth/login/email-verification',
  'POST /api/auth/login/mfa',
  'POST /api/auth/login/mfa/enroll',
  'POST /api/auth/refresh',
  'POST /api/auth/workos/callback',
  'POST /api/workspace/auth/login',
];

const SAMPLE_ID = '00000000-0000-4000-8000-000000000000';

describe('the route inventory: private unless marked @Public()', () => {
  let t: TestApp;
  let operations: string[] = [];

  before(async () => {
    t = await startTestApp();
    const doc = (await get(`${t.url}/api/docs-json`)).body as { paths: Record<string, Record<string, unknown>> };
    operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
  });
  after(() => t.close());

  it('documents every route the service answers', () => {
    assert.ok(operations.length >= PUBLIC_ROUTES.length + 5, operations.join('\n'));
    for (const route of PUBLIC_ROUTES) assert.ok(operations.includes(route), `${route} is not in the OpenAPI document`);
  });

  it('answers 401 without a bearer token on every route but the public ones', async () => {
    const open: string[] = [];
    for (const operation of operations) {
      const [method, template] = operation.split(' ');
      const path = template.replace(/\{[^}]+\}/g, SAMPLE_ID);
      const res = await request(method, `${t.url}${path}`, method === 'GET' ? undefined : {});
      const workspace = path.startsWith('/api/workspace/');
      const body = res.body as { code?: string; Errors?: { Code: string }[]; Success?: boolean };
      const refused =
        res.status === 401 && (workspace ? body.Success === false && (body.Errors ?? []).length > 0 : body.code === 'TOKEN_INVALID');
      if (!refused) open.push(operation);
    }
    assert.deepEqual(open.sort(), [...PUBLIC_ROUTES].sort());
  });

  it('challenges on every 401 of every bearer route (RFC 6750 §3): the bare challenge without a token, invalid_token for a refused one', async () => {
    const forged = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';
    const bearerRoutes = operations.filter((operation) => !PUBLIC_ROUTES.includes(operation));
    assert.ok(bearerRoutes.length >= 5);
    for (const operation of bearerRoutes) {
      const [method, template] = operation.split(' ');
      const url = `${t.url}${template.replace(/\{[^}]+\}/g, SAMPLE_ID)}`;
      const none = await request(method, url, method === 'GET' ? undefined : {});
      assert.equal(none.status, 401, operation);
      assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="authgate"', `${operation} without a token`);
      const refused = await request(method, url, method === 'GET' ? undefined : {}, { token: forged });
      assert.equal(refused.status, 401, operation);
      assert.equal(refused.headers.get('www-authenticate'), 'Bearer error="invalid_token"', `${operation} with a forged token`);
      assert.equal(refused.headers.get('x-auth-error'), 'TOKEN_INVALID', operation);
    }
  });
});
