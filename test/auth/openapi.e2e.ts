import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { get } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';

describe('Swagger UI and the OpenAPI document of /api/auth', () => {
  let t: TestApp;
  let doc: any;
  const resolve = (ref: string) => doc.components.schemas[ref.replace('#/components/schemas/', '')];

  before(async () => {
    t = await startTestApp();
    doc = (await get(`${t.url}/api/docs-json`)).body;
  });
  after(() => t.close());

  it('serves Swagger UI at /api/docs and an OpenAPI 3 document with a bearer scheme', async () => {
    const ui = await get<string>(`${t.url}/api/docs`);
    assert.equal(ui.status, 200);
    assert.match(ui.text, /swagger-ui/i);
    assert.match(doc.openapi, /^3\./);
    const schemes: { type: string; scheme: string }[] = Object.values(doc.components.securitySchemes);
    assert.ok(schemes.some((s) => s.type === 'http' && s.scheme === 'bearer'));
  });

  it("documents the login with the seed's wording, both request examples and every error code", () => {
    const op = doc.paths['/api/auth/login'].post;
    assert.equal(op.summary, 'Login with password or impersonation token');
    assert.equal(op.description, 'Provide either password or impersonationToken with email.');
    const body = resolve(op.requestBody.content['application/json'].schema.$ref);
    assert.equal(body.properties.email.description, 'Login email; used to look up the user before credential check.');
    assert.match(body.properties.password.description, /verified via WorkOS when the user is migrated, otherwise via the local bcrypt hash/);
    assert.match(body.properties.impersonationToken.description, /Single-use JWT issued by \/api\/auth\/impersonate\/\{userId\}/);
    assert.deepEqual(Object.keys(op.requestBody.content['application/json'].examples).sort(), ['impersonation', 'password']);
    // 403: a correct password that still needs a second step; 413, 415: every body (test/openapi/responses.e2e.ts)
    assert.deepEqual(Object.keys(op.responses).sort(), ['200', '400', '401', '403', '413', '415', '429', '503']);
    assert.deepEqual(Object.keys(op.responses['403'].content['application/json'].examples), ['MFA_REQUIRED', 'MFA_ENROLLMENT_REQUIRED', 'EMAIL_VERIFICATION_REQUIRED']);
    assert.equal(op.responses['200'].description, 'Login successful');
  });

  it('describes the login response with its nine sessionConfig fields, enums and examples', () => {
    const ok = resolve(doc.paths['/api/auth/login'].post.responses['200'].content['application/json'].schema.$ref);
    assert.deepEqual(ok.required.slice(0, 4), ['token', 'refreshToken', 'sessionConfig', 'user']);
    const config = resolve(ok.properties.sessionConfig.$ref ?? ok.properties.sessionConfig.allOf[0].$ref);
    assert.deepEqual(Object.keys(config.properties), [
      'enabled', 'idleTimeoutMinutes', 'tokenExpiryHours', 'warningTimeMinutes', 'idleTrackingEnabled',
      'ssoSilentRenewalEnabled', 'ssoFallbackBehavior', 'passwordSilentRenewalEnabled', 'passwordFallbackBehavior',
    ]);
    assert.deepEqual(config.properties.ssoFallbackBehavior.enum, ['redirect', 'logout']);
    const user = resolve(ok.properties.user.$ref ?? ok.properties.user.allOf[0].$ref);
    const role = resolve(user.properties.accessRole.$ref);
    assert.deepEqual(role.enum, ['ADMIN', 'MEMBER']);
    assert.equal(user.properties.conversationOpenPreference.example, 'split');
  });

  it('shows the right error body per route: one example per documented code, not a generic one', () => {
    const meErrors = doc.paths['/api/auth/me'].get.responses['401'].content['application/json'].examples;
    assert.deepEqual(Object.keys(meErrors), ['TOKEN_INVALID', 'TOKEN_EXPIRED', 'SESSION_REVOKED', 'SESSION_IDLE_TIMEOUT', 'SESSION_EXPIRED']);
    assert.deepEqual(meErrors.SESSION_IDLE_TIMEOUT.value, {
      statusCode: 401,
      code: 'SESSION_IDLE_TIMEOUT',
      message: 'The session ended after a period of inactivity.',
    });
    const refreshErrors = doc.paths['/api/auth/refresh'].post.responses['401'].content['application/json'].examples;
    assert.ok(refreshErrors.REFRESH_TOKEN_REUSED && refreshErrors.SILENT_RENEWAL_DISABLED);
    assert.ok(!('INVALID_CREDENTIALS' in refreshErrors));
  });

  it('marks every bearer route with the bearer scheme and no public route with it', () => {
    const open = new Set(['/api/auth/login', '/api/auth/login/mfa', '/api/auth/login/mfa/enroll', '/api/auth/login/email-verification', '/api/auth/refresh', '/api/auth/password/forgot', '/api/auth/password/reset', '/api/auth/workos/authorize', '/api/auth/workos/callback', '/api/health', '/api/health/ready', '/api/workspace/auth/login', '/.well-known/jwks.json']);
    for (const [path, methods] of Object.entries<Record<string, any>>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(methods)) {
        const secured = (op.security ?? []).some((s: Record<string, unknown>) => Object.keys(s).length > 0);
        assert.equal(secured, !open.has(path), `${method.toUpperCase()} ${path}`);
        // A public route says so (`security: []`), rather than leaving it to a default.
        if (open.has(path)) assert.deepEqual(op.security, [], `${method.toUpperCase()} ${path}`);
      }
    }
  });

  it('gives every operation a summary and a schema for each JSON answer', () => {
    for (const [path, methods] of Object.entries<Record<string, any>>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(methods)) {
        assert.ok(op.summary, `${method} ${path} has no summary`);
        for (const [status, response] of Object.entries<any>(op.responses)) {
          const json = response.content?.['application/json'];
          if (json) assert.ok(json.schema, `${method} ${path} ${status} has no schema`);
        }
      }
    }
  });
});

describe('health', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('answers /api/health without a database call and /api/health/ready with the database up', async () => {
    const live = await get(`${t.url}/api/health`);
    assert.equal(live.status, 200);
    assert.deepEqual(live.body, { status: 'ok' });
    const ready = await get(`${t.url}/api/health/ready`);
    assert.equal(ready.status, 200, ready.text);
    assert.equal(ready.body.status, 'ok');
    assert.equal(ready.body.info.database.status, 'up');
  });
});
