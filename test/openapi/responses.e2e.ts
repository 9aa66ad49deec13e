/**
 * The OpenAPI document proven against the service: every answer below is a real HTTP
 * answer of the app, validated against the document the app serves (status documented,
 * documented headers, body against its schema) by a strict validator
 * (test/support/openapi-validator.ts: Ajv, JSON Schema 2020-12, strict mode, formats).
 *
 * ADDING AN OPERATION? Add its cases to CASES below: one line per answer, a valid request
 * and each refusal its document lists. The last test FAILS for an operation of the
 * document without a 2xx case, and for any documented status without a case (unless
 * NOT_PROVOKED says why and where it is tested). 413 and 415 (every operation with a
 * body) and an over-long path parameter (404) are generated; you write none of them.
 *
 *   { op: 'GET /api/things/{id}', status: 200, send: async (f) => ({ path: { id: f.thingId }, token: f.admin.token }) },
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AccessRole } from '../../src/identity/users/user.entity';
import { createOrganization, createUser, PASSWORD } from '../support/factories';
import { FakeClock } from '../support/fake-clock';
import { Answer, OpenApiDocument, OpenApiValidator } from '../support/openapi-validator';
import { startTestApp, TestApp } from '../support/test-app';
import { WorkosStandIn } from '../support/workos-stand-in';
import { createWorkspaceFixture, WorkspaceFixture } from '../workspace/fixture';

/** What a case sends. `token` becomes `Authorization: Bearer …`; `raw` is sent as is (with its own Content-Type). */
interface Request {
  path?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
  raw?: { contentType: string; text: string };
  token?: string;
}

interface Case {
  op: string;
  status: number;
  /** What the case shows; defaults to the status. */
  title?: string;
  send: (f: Fixture) => Promise<Request> | Request;
}

interface Signed {
  id: string;
  email: string;
  token: string;
  refreshToken: string;
  sessionId: string;
}

interface Fixture {
  t: TestApp;
  workos: WorkosStandIn;
  ws: WorkspaceFixture;
  orgId: string;
  otherOrgId: string;
  ssoOrgId: string;
  admin: Signed;
  member: Signed;
  /** A fresh session for the member (cases that end or rotate one). */
  fresh(): Promise<Signed>;
  /** An impersonated session of the member, opened by the admin. */
  impersonation(): Promise<Signed>;
  ssoState(): Promise<string>;
  workspaceToken(): Promise<string>;
}

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const REDIRECT = 'http://localhost:5173/auth/callback';
/** The nonce of the browser that starts the SSO cases (kept in its sessionStorage). */
const BROWSER_NONCE = 'responses-browser-nonce-0123456789-abcdefghijklm';
const WORKOS_ORG = 'org_01ACME_RESPONSES';
const EXPIRED_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
const refreshCookie = (token: string) => ({ cookie: `__Secure-authgate-refresh=${token}` });

/** The answers. Grouped by operation, in the document's order. */
const CASES: Case[] = [
  { op: 'GET /api/health', status: 200, send: () => ({}) },
  { op: 'GET /.well-known/jwks.json', status: 200, send: () => ({}) },
  { op: 'GET /api/health/ready', status: 200, send: () => ({}) },

  { op: 'GET /api/organizations/{orgId}/session-policy', status: 200, send: (f) => ({ path: { orgId: f.orgId }, token: f.admin.token }) },
  { op: 'GET /api/organizations/{orgId}/session-policy', status: 401, send: (f) => ({ path: { orgId: f.orgId }, token: EXPIRED_TOKEN }) },
  { op: 'GET /api/organizations/{orgId}/session-policy', status: 403, send: (f) => ({ path: { orgId: f.orgId }, token: f.member.token }) },
  { op: 'GET /api/organizations/{orgId}/session-policy', status: 404, send: (f) => ({ path: { orgId: f.otherOrgId }, token: f.admin.token }) },

  {
    op: 'PUT /api/organizations/{orgId}/session-policy',
    status: 200,
    send: async (f) => {
      const current = await sendCase(f.t.url, 'GET /api/organizations/{orgId}/session-policy', { path: { orgId: f.orgId }, token: f.admin.token });
      return { path: { orgId: f.orgId }, token: f.admin.token, body: { ...(JSON.parse(current.text) as object), idleTimeoutMinutes: 30 } };
    },
  },
  { op: 'PUT /api/organizations/{orgId}/session-policy', status: 400, send: (f) => ({ path: { orgId: f.orgId }, token: f.admin.token, body: { idleTimeoutMinutes: 'soon' } }) },
  { op: 'PUT /api/organizations/{orgId}/session-policy', status: 401, send: (f) => ({ path: { orgId: f.orgId }, body: { enabled: true } }) },
  { op: 'PUT /api/organizations/{orgId}/session-policy', status: 403, send: (f) => ({ path: { orgId: f.orgId }, token: f.member.token, body: { enabled: true } }) },
  { op: 'PUT /api/organizations/{orgId}/session-policy', status: 404, send: (f) => ({ path: { orgId: UNKNOWN_ID }, token: f.admin.token, body: { enabled: true } }) },

  { op: 'POST /api/auth/login', status: 200, send: (f) => ({ body: { email: f.member.email, password: PASSWORD } }) },
  { op: 'POST /api/auth/login', status: 400, send: () => ({ body: { email: 'not-an-email', password: PASSWORD } }) },
  { op: 'POST /api/auth/login', status: 400, title: 'malformed JSON', send: () => ({ raw: { contentType: 'application/json', text: '{"email":' } }) },
  { op: 'POST /api/auth/login', status: 401, send: (f) => ({ body: { email: f.member.email, password: 'wrong password' } }) },
  { op: 'POST /api/auth/login', status: 429, send: () => ({ body: { email: 'throttled@acme.example', password: 'wrong password' } }) },

  { op: 'POST /api/auth/refresh', status: 200, send: async (f) => ({ body: { refreshToken: (await f.fresh()).refreshToken } }) },
  { op: 'POST /api/auth/refresh', status: 400, send: () => ({ body: { refreshToken: 42 } }) },
  { op: 'POST /api/auth/refresh', status: 401, send: () => ({ body: { refreshToken: 'rt_not-a-token' } }) },
  // The app runs with REFRESH_TOKEN_COOKIE: the cookie stands in for the body's token.
  { op: 'POST /api/auth/refresh', status: 200, title: 'the refresh cookie alone', send: async (f) => ({ headers: refreshCookie((await f.fresh()).refreshToken), body: {} }) },
  { op: 'POST /api/auth/refresh', status: 415, title: 'the refresh cookie, not as application/json', send: async (f) => ({ headers: refreshCookie((await f.fresh()).refreshToken) }) },

  { op: 'POST /api/auth/logout', status: 204, send: async (f) => ({ token: (await f.fresh()).token }) },
  { op: 'POST /api/auth/logout', status: 401, send: () => ({ token: EXPIRED_TOKEN }) },
  { op: 'POST /api/auth/logout', status: 204, title: 'the refresh cookie alone', send: async (f) => ({ headers: refreshCookie((await f.fresh()).refreshToken), body: {} }) },
  { op: 'POST /api/auth/logout', status: 401, title: 'an unknown refresh cookie', send: () => ({ headers: refreshCookie('rt_00000000000000000000000000000000'), body: {} }) },
  { op: 'POST /api/auth/logout', status: 415, title: 'the refresh cookie, not as application/json', send: async (f) => ({ headers: refreshCookie((await f.fresh()).refreshToken) }) },

  { op: 'GET /api/auth/me', status: 200, send: (f) => ({ token: f.member.token }) },
  { op: 'GET /api/auth/me', status: 200, title: 'impersonated: impersonator set', send: async (f) => ({ token: (await f.impersonation()).token }) },
  { op: 'GET /api/auth/me', status: 401, send: () => ({}) },
  { op: 'GET /api/auth/verify', status: 204, send: (f) => ({ token: f.member.token }) },
  { op: 'GET /api/auth/verify', status: 204, title: 'impersonated: impersonator header', send: async (f) => ({ token: (await f.impersonation()).token }) },
  { op: 'GET /api/auth/verify', status: 401, send: () => ({ token: EXPIRED_TOKEN }) },

  { op: 'GET /api/auth/workos/authorize', status: 200, send: (f) => ({ query: { organizationId: f.ssoOrgId, redirectUri: REDIRECT, browserNonce: BROWSER_NONCE } }) },
  { op: 'GET /api/auth/workos/authorize', status: 400, send: (f) => ({ query: { organizationId: f.ssoOrgId, redirectUri: 'https://evil.example/cb', browserNonce: BROWSER_NONCE } }) },
  { op: 'GET /api/auth/workos/authorize', status: 404, send: () => ({ query: { organizationId: UNKNOWN_ID, redirectUri: REDIRECT, browserNonce: BROWSER_NONCE } }) },

  {
    op: 'POST /api/auth/workos/callback',
    status: 200,
    send: async (f) => {
      const remote = f.workos.addUser({ email: 'sso-user@acme.example', emailVerified: true });
      return { body: { code: f.workos.issueCode(remote.id, WORKOS_ORG), state: await f.ssoState(), browserNonce: BROWSER_NONCE } };
    },
  },
  { op: 'POST /api/auth/workos/callback', status: 400, send: () => ({ body: { code: 'c', state: 'not-a-state' } }) },
  {
    op: 'POST /api/auth/workos/callback',
    status: 400,
    title: 'started in another browser: SSO_BROWSER_MISMATCH',
    send: async (f) => ({ body: { code: 'c', state: await f.ssoState(), browserNonce: 'another-browser-nonce-0123456789-abcdefghijklm' } }),
  },
  { op: 'POST /api/auth/workos/callback', status: 401, send: async (f) => ({ body: { error: 'access_denied', state: await f.ssoState(), browserNonce: BROWSER_NONCE } }) },
  {
    op: 'POST /api/auth/workos/callback',
    status: 403,
    send: async (f) => {
      const remote = f.workos.addUser({ email: 'stranger@acme.example', emailVerified: true });
      return { body: { code: f.workos.issueCode(remote.id, WORKOS_ORG), state: await f.ssoState(), browserNonce: BROWSER_NONCE } };
    },
  },

  { op: 'POST /api/auth/impersonate/{userId}', status: 200, send: (f) => ({ path: { userId: f.member.id }, token: f.admin.token, body: { reason: 'Ticket #1' } }) },
  { op: 'POST /api/auth/impersonate/{userId}', status: 400, send: (f) => ({ path: { userId: f.member.id }, token: f.admin.token, body: { reason: 'x'.repeat(501) } }) },
  { op: 'POST /api/auth/impersonate/{userId}', status: 401, send: (f) => ({ path: { userId: f.member.id }, body: {} }) },
  { op: 'POST /api/auth/impersonate/{userId}', status: 403, send: (f) => ({ path: { userId: f.admin.id }, token: f.member.token, body: {} }) },
  { op: 'POST /api/auth/impersonate/{userId}', status: 404, send: (f) => ({ path: { userId: UNKNOWN_ID }, token: f.admin.token, body: {} }) },

  { op: 'GET /api/auth/impersonations', status: 200, send: (f) => ({ query: { limit: '5' }, token: f.admin.token }) },
  { op: 'GET /api/auth/impersonations', status: 400, send: (f) => ({ query: { limit: 'many' }, token: f.admin.token }) },
  { op: 'GET /api/auth/impersonations', status: 401, send: () => ({}) },
  { op: 'GET /api/auth/impersonations', status: 403, send: (f) => ({ token: f.member.token }) },

  { op: 'POST /api/auth/impersonations/{sessionId}/end', status: 204, send: async (f) => ({ path: { sessionId: (await f.impersonation()).sessionId }, token: f.admin.token, body: {} }) },
  { op: 'POST /api/auth/impersonations/{sessionId}/end', status: 400, send: (f) => ({ path: { sessionId: UNKNOWN_ID }, token: f.admin.token, body: { reason: 7 } }) },
  { op: 'POST /api/auth/impersonations/{sessionId}/end', status: 401, send: () => ({ path: { sessionId: UNKNOWN_ID }, body: {} }) },
  { op: 'POST /api/auth/impersonations/{sessionId}/end', status: 403, send: (f) => ({ path: { sessionId: UNKNOWN_ID }, token: f.member.token, body: {} }) },
  { op: 'POST /api/auth/impersonations/{sessionId}/end', status: 404, send: (f) => ({ path: { sessionId: UNKNOWN_ID }, token: f.admin.token, body: {} }) },

  { op: 'POST /api/workspace/auth/login', status: 200, send: (f) => ({ body: { UserNameOrEmail: f.ws.ops.email, Password: PASSWORD } }) },
  { op: 'POST /api/workspace/auth/login', status: 400, send: () => ({ body: { UserNameOrEmail: 'x' } }) },
  { op: 'POST /api/workspace/auth/login', status: 400, title: 'wrong password', send: (f) => ({ body: { UserNameOrEmail: f.ws.ops.email, Password: 'wrong password' } }) },
  { op: 'POST /api/workspace/auth/login', status: 429, send: () => ({ body: { UserNameOrEmail: 'throttled-ws@acme.example', Password: 'wrong password' } }) },

  { op: 'GET /api/workspace/auth/me', status: 200, send: async (f) => ({ token: await f.workspaceToken() }) },
  {
    op: 'GET /api/workspace/auth/me',
    status: 400,
    send: async (f) => {
      const login = await sendCase(f.t.url, 'POST /api/workspace/auth/login', {
        headers: { 'x-workspace': f.ws.us.slug },
        body: { UserNameOrEmail: f.ws.ops.email, Password: PASSWORD },
      });
      await f.t.db.query(`DELETE FROM workspace_memberships WHERE user_id = $1 AND workspace_id = $2`, [f.ws.ops.id, f.ws.us.id]);
      return { token: (JSON.parse(login.text) as { Data: { AccessToken: string } }).Data.AccessToken };
    },
  },
  { op: 'GET /api/workspace/auth/me', status: 401, send: () => ({ token: EXPIRED_TOKEN }) },

  { op: 'POST /api/workspace/auth/logout', status: 200, send: async (f) => ({ token: await f.workspaceToken() }) },
  { op: 'POST /api/workspace/auth/logout', status: 401, send: () => ({}) },

  { op: 'GET /api/organizations/{orgId}/users', status: 200, send: (f) => ({ path: { orgId: f.orgId }, query: { limit: '2', offset: '0' }, token: f.admin.token }) },
  { op: 'GET /api/organizations/{orgId}/users', status: 400, send: (f) => ({ path: { orgId: f.orgId }, query: { limit: '2.5' }, token: f.admin.token }) },
  { op: 'GET /api/organizations/{orgId}/users', status: 401, send: (f) => ({ path: { orgId: f.orgId } }) },
  { op: 'GET /api/organizations/{orgId}/users', status: 403, send: (f) => ({ path: { orgId: f.orgId }, token: f.member.token }) },
  { op: 'GET /api/organizations/{orgId}/users', status: 404, send: (f) => ({ path: { orgId: f.otherOrgId }, token: f.admin.token }) },
];

/** Documented answers this file does not provoke, with the reason and the test that does. */
const NOT_PROVOKED: Record<string, string> = {
  'GET /api/health/ready 503': 'needs the database down: test/faults/database-outage.e2e.ts',
  'POST /api/auth/login 503': 'needs the database or WorkOS down: test/faults/database-outage.e2e.ts, test/workos/password-login.e2e.ts',
  'GET /api/auth/workos/authorize 503': 'needs an app without WorkOS configured: test/workos/sso.e2e.ts',
  'POST /api/auth/workos/callback 503': 'needs WorkOS down: test/workos/sso.e2e.ts',
  'POST /api/workspace/auth/login 503': 'needs the database down: test/workspace/faults.e2e.ts',
};

/**
 * Operations that landed before this test, whose owner adds their cases (then removes
 * them from here). Nothing else may be added: a new operation comes with its cases.
 */
const CASES_PENDING: Record<string, string> = Object.fromEntries(
  [
    'POST /api/organizations/{orgId}/users',
    'GET /api/organizations/{orgId}/users/{userId}',
    'PATCH /api/organizations/{orgId}/users/{userId}',
    'POST /api/organizations/{orgId}/users/{userId}/sessions/revoke',
    'POST /api/organizations/{orgId}/users/{userId}/invitation',
    'POST /api/organizations/{orgId}/users/{userId}/password-reset',
    'POST /api/auth/password',
    'POST /api/auth/password/forgot',
    'POST /api/auth/password/reset',
    'GET /api/auth/sessions',
    'POST /api/auth/sessions/revoke-others',
    'DELETE /api/auth/sessions/{sessionId}',
    'GET /api/organizations/{orgId}/audit',
  ]
    .map((op): [string, string] => [op, 'accounts (#15): landed before this test'])
    .concat(
      [
        'DELETE /api/auth/mfa/totp',
        'POST /api/auth/login/email-verification',
        'POST /api/auth/login/mfa',
        'POST /api/auth/login/mfa/enroll',
        'POST /api/auth/mfa/recovery-codes',
        'POST /api/auth/mfa/step-up',
        'GET /api/organizations/{orgId}/mfa-policy',
        'PUT /api/organizations/{orgId}/mfa-policy',
        'POST /api/auth/mfa/totp',
        'POST /api/auth/mfa/totp/confirm',
      ].map((op): [string, string] => [op, 'mfa (#16): landed with this test']),
    ),
);

/** Cases every operation gets without writing them: the body limit, the media type, the path-parameter limit. */
function generatedCases(validator: OpenApiValidator, written: Case[]): Case[] {
  const out: Case[] = [];
  for (const op of validator.operations()) {
    const operation = validator.operation(op);
    const template = written.find((c) => c.op === op && c.status < 300);
    if (!template) continue; // reported by the coverage test
    if (operation.requestBody) {
      out.push({ op, status: 413, title: 'a 17 KiB body', send: async (f) => ({ ...(await template.send(f)), body: { padding: 'x'.repeat(17 * 1024) } }) });
      // The seed's workspace API answers every refusal 400 (here InvalidContentType).
      const mediaTypeStatus = op.includes(' /api/workspace/') ? 400 : 415;
      out.push({ op, status: mediaTypeStatus, title: 'a text/plain body', send: async (f) => ({ ...(await template.send(f)), body: undefined, raw: { contentType: 'text/plain', text: 'hello' } }) });
    }
    const pathParams = (operation.parameters ?? []).filter((p) => p.in === 'path');
    if (pathParams.length) {
      out.push({
        op,
        // The router's limit is 200 characters; a longer id names nothing that exists.
        status: 404,
        title: 'a 300-character path parameter',
        send: async (f) => {
          const request = await template.send(f);
          return { ...request, path: { ...request.path, [pathParams[0].name]: 'a'.repeat(300) } };
        },
      });
    }
  }
  return out;
}

async function sendCase(baseUrl: string, op: string, request: Request): Promise<Answer> {
  const [method, template] = op.split(' ');
  const path = template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(request.path?.[name] ?? ''));
  const query = request.query ? `?${new URLSearchParams(request.query).toString()}` : '';
  const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
  if (request.token) headers.authorization = `Bearer ${request.token}`;
  let body: string | undefined;
  if (request.raw) {
    headers['content-type'] = request.raw.contentType;
    body = request.raw.text;
  } else if (request.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(request.body);
  }
  const res = await fetch(`${baseUrl}${path}${query}`, { method, headers, body });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

describe('the OpenAPI document, proven against the service', () => {
  const clock = new FakeClock();
  let t: TestApp;
  let workos: WorkosStandIn;
  let f: Fixture;
  let validator: OpenApiValidator;

  const login = async (email: string): Promise<Signed> => {
    const res = await fetch(`${t.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
    const body = (await res.json()) as { token: string; refreshToken: string; user: { id: string }; session: { id: string } };
    assert.equal(res.status, 200, JSON.stringify(body));
    return { id: body.user.id, email, token: body.token, refreshToken: body.refreshToken, sessionId: body.session.id };
  };

  before(async () => {
    workos = await WorkosStandIn.start();
    t = await startTestApp({ clock, config: { workos: { ...workos.config(), timeoutMs: 2000, maxRetries: 0 }, ssoRedirectUris: [REDIRECT], refreshTokenCookie: { secure: true } } });
    const ws = await createWorkspaceFixture(t.db);
    const org = await createOrganization(t.db, { slug: 'responses', name: 'Responses Inc', workosOrganizationId: WORKOS_ORG });
    const other = await createOrganization(t.db, { slug: 'elsewhere', name: 'Elsewhere' });
    await createUser(t.db, org, { email: 'admin@responses.example', accessRole: AccessRole.ADMIN });
    await createUser(t.db, org, { email: 'member@responses.example' });
    await createUser(t.db, org, { email: 'sso-user@acme.example' });
    const admin = await login('admin@responses.example');
    const member = await login('member@responses.example');
    f = {
      t,
      workos,
      ws,
      orgId: org.id,
      otherOrgId: other.id,
      ssoOrgId: org.id,
      admin,
      member,
      fresh: () => login(member.email),
      impersonation: async () => {
        const ticket = await sendCase(t.url, 'POST /api/auth/impersonate/{userId}', { path: { userId: member.id }, token: admin.token, body: {} });
        const { impersonationToken } = JSON.parse(ticket.text) as { impersonationToken: string };
        const res = await sendCase(t.url, 'POST /api/auth/login', { body: { email: member.email, impersonationToken } });
        const body = JSON.parse(res.text) as { token: string; refreshToken: string; session: { id: string } };
        return { ...member, token: body.token, refreshToken: body.refreshToken, sessionId: body.session.id };
      },
      ssoState: async () => {
        const res = await sendCase(t.url, 'GET /api/auth/workos/authorize', { query: { organizationId: org.id, redirectUri: REDIRECT, browserNonce: BROWSER_NONCE } });
        return (JSON.parse(res.text) as { state: string }).state;
      },
      workspaceToken: async () => {
        const res = await sendCase(t.url, 'POST /api/workspace/auth/login', { body: { UserNameOrEmail: ws.solo.email, Password: PASSWORD } });
        const data = (JSON.parse(res.text) as { Data: { AccessToken: string } | null }).Data;
        assert.ok(data, `workspace login of ${ws.solo.email}: ${res.status} ${res.text}`);
        return data.AccessToken;
      },
    };
    const document = (await (await fetch(`${t.url}/api/docs-json`)).json()) as OpenApiDocument;
    validator = new OpenApiValidator(document);
    // The throttles count failures: reach the limit before the 429 cases run.
    for (let i = 0; i < 12; i++) {
      await sendCase(t.url, 'POST /api/auth/login', { body: { email: 'throttled@acme.example', password: 'wrong password' } });
      await sendCase(t.url, 'POST /api/workspace/auth/login', { body: { UserNameOrEmail: 'throttled-ws@acme.example', Password: 'wrong password' } });
    }
  });
  after(async () => {
    await t?.close();
    await workos?.close();
  });

  it('compiles every schema of the document in strict mode', () => {
    assert.deepEqual(validator.compileAll(), []);
  });

  it('answers every case as documented', async () => {
    const failures: string[] = [];
    for (const c of [...CASES, ...generatedCases(validator, CASES)]) {
      const answer = await sendCase(t.url, c.op, await c.send(f));
      const label = `${c.op} → ${c.status}${c.title ? ` (${c.title})` : ''}`;
      if (answer.status !== c.status) {
        failures.push(`${label}: answered ${answer.status} ${answer.text.slice(0, 200)}`);
        continue;
      }
      for (const problem of validator.check(c.op, answer)) failures.push(`${label}: ${problem} — answered ${answer.text.slice(0, 200)}`);
    }
    assert.deepEqual(failures, []);
  });

  it('has a valid request and each documented refusal for every operation (add yours to CASES)', () => {
    const missing: string[] = [];
    for (const op of validator.operations()) {
      if (CASES_PENDING[op]) continue;
      const covered = new Set([...CASES, ...generatedCases(validator, CASES)].filter((c) => c.op === op).map((c) => c.status));
      if (![...covered].some((s) => s < 300)) missing.push(`${op}: no valid request`);
      for (const status of validator.statuses(op)) {
        if (!covered.has(status) && !NOT_PROVOKED[`${op} ${status}`]) missing.push(`${op}: documented ${status} has no case`);
      }
    }
    for (const c of CASES) if (!validator.operations().includes(c.op)) missing.push(`${c.op}: a case for an operation the document lacks`);
    for (const op of Object.keys(CASES_PENDING)) {
      if (CASES.some((c) => c.op === op)) missing.push(`${op}: has cases now; remove it from CASES_PENDING`);
    }
    assert.deepEqual(missing, []);
  });
});
