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
import { AccountTokenKind } from '../../src/accounts/tokens/account-token.entity';
import { generateAccountToken, hashAccountToken } from '../../src/accounts/tokens/account-token.codec';
import { AccessRole } from '../../src/identity/users/user.entity';
import { NEW_PASSWORD } from '../accounts/accounts-fixture';
import { codeAt, setMfaPolicy } from '../mfa/mfa-helpers';
import { createOrganization, createUser, PASSWORD, UserFields } from '../support/factories';
import { FakeClock } from '../support/fake-clock';
import { Answer, OpenApiDocument, OpenApiValidator } from '../support/openapi-validator';
import { signIn } from '../support/sign-in';
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
  /** A new member of the organization, signed in (for cases that change or end what they touch). */
  user(fields?: UserFields): Promise<Signed>;
  /** A new member with TOTP active, signed in; `code(secret)` is their next code. */
  totpUser(): Promise<Totp>;
  code(secret: string, offsetSteps?: number): string;
  /** The `mfa.token` of a correct password's 403: `required` (a user with TOTP) or `enrollment` (the policy makes them enroll). */
  mfaStep(kind: 'required' | 'enrollment', email?: string): Promise<{ email: string; token: string; secret: string }>;
  /** Spends the account's login budget (wrong passwords): its next checked attempt answers 429. */
  spend(email: string): Promise<void>;
  /** A new member signed in, then migrated to WorkOS (WorkOS owns the password). */
  migrated(): Promise<Signed>;
  /** A reset link's token for the user, as the email carries it. */
  resetToken(userId: string): Promise<string>;
  /** A migrated user's 403 EMAIL_VERIFICATION_REQUIRED: its token and the code WorkOS emailed. */
  emailVerification(): Promise<{ email: string; token: string; code: string }>;
}

interface Totp extends Signed {
  secret: string;
  recoveryCodes: string[];
}

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const REDIRECT = 'http://localhost:5173/auth/callback';
/** The nonce of the browser that starts the SSO cases (kept in its sessionStorage). */
const BROWSER_NONCE = 'responses-browser-nonce-0123456789-abcdefghijklm';
const WORKOS_ORG = 'org_01ACME_RESPONSES';
const EXPIRED_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
const WORKOS_PASSWORD = 'Only-WorkOS-Knows-This-1';
/** A code of the right shape that no authenticator shows now (ten steps ahead, outside the window). */
const wrongCode = (f: Fixture, secret: string) => f.code(secret, 10);
let serial = 0;
const unique = (prefix: string) => `${prefix}-${++serial}@responses.example`;
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
  { op: 'POST /api/auth/login', status: 403, title: 'MFA_REQUIRED: a user with TOTP', send: async (f) => ({ body: { email: (await f.totpUser()).email, password: PASSWORD } }) },

  { op: 'POST /api/auth/login/mfa', status: 200, send: async (f) => {
    const step = await f.mfaStep('required');
    return { body: { mfaToken: step.token, code: f.code(step.secret) } };
  } },
  { op: 'POST /api/auth/login/mfa', status: 400, title: 'neither code nor recoveryCode', send: async (f) => ({ body: { mfaToken: (await f.mfaStep('required')).token } }) },
  { op: 'POST /api/auth/login/mfa', status: 401, send: async (f) => {
    const step = await f.mfaStep('required');
    return { body: { mfaToken: step.token, code: wrongCode(f, step.secret) } };
  } },
  { op: 'POST /api/auth/login/mfa', status: 409, title: 'MFA_ENROLLMENT_NOT_STARTED', send: async (f) => ({ body: { mfaToken: (await f.mfaStep('enrollment')).token, code: '123456' } }) },
  { op: 'POST /api/auth/login/mfa', status: 429, send: async (f) => {
    const step = await f.mfaStep('required');
    await f.spend(step.email);
    return { body: { mfaToken: step.token, code: f.code(step.secret) } };
  } },

  { op: 'POST /api/auth/login/mfa/enroll', status: 200, send: async (f) => ({ body: { mfaToken: (await f.mfaStep('enrollment')).token } }) },
  { op: 'POST /api/auth/login/mfa/enroll', status: 400, send: () => ({ body: { mfaToken: 42 } }) },
  { op: 'POST /api/auth/login/mfa/enroll', status: 401, send: () => ({ body: { mfaToken: 'mfa_not-a-token' } }) },
  { op: 'POST /api/auth/login/mfa/enroll', status: 409, title: 'MFA_ALREADY_ENABLED: enrolled since this step began', send: async (f) => {
    const first = await f.mfaStep('enrollment');
    const second = await f.mfaStep('enrollment', first.email);
    const started = await sendCase(f.t.url, 'POST /api/auth/login/mfa/enroll', { body: { mfaToken: first.token } });
    const { secret } = JSON.parse(started.text) as { secret: string };
    const done = await sendCase(f.t.url, 'POST /api/auth/login/mfa', { body: { mfaToken: first.token, code: f.code(secret) } });
    assert.equal(done.status, 200, done.text);
    return { body: { mfaToken: second.token } };
  } },

  { op: 'POST /api/auth/login/email-verification', status: 200, send: async (f) => {
    const v = await f.emailVerification();
    return { body: { token: v.token, code: v.code } };
  } },
  { op: 'POST /api/auth/login/email-verification', status: 400, send: () => ({ body: { token: 'x' } }) },
  { op: 'POST /api/auth/login/email-verification', status: 401, send: async (f) => {
    const v = await f.emailVerification();
    return { body: { token: v.token, code: v.code === '000000' ? '111111' : '000000' } };
  } },
  { op: 'POST /api/auth/login/email-verification', status: 429, send: async (f) => {
    const v = await f.emailVerification();
    await f.spend(v.email);
    return { body: { token: v.token, code: v.code } };
  } },

  { op: 'POST /api/organizations/{orgId}/users', status: 201, send: (f) => ({ path: { orgId: f.orgId }, token: f.admin.token, body: { email: unique('new'), firstName: 'Nina', lastName: 'New' } }) },
  { op: 'POST /api/organizations/{orgId}/users', status: 400, send: (f) => ({ path: { orgId: f.orgId }, token: f.admin.token, body: { email: 'not-an-email', firstName: 'Nina', lastName: 'New' } }) },
  { op: 'POST /api/organizations/{orgId}/users', status: 401, send: (f) => ({ path: { orgId: f.orgId }, body: {} }) },
  { op: 'POST /api/organizations/{orgId}/users', status: 403, send: (f) => ({ path: { orgId: f.orgId }, token: f.member.token, body: {} }) },
  { op: 'POST /api/organizations/{orgId}/users', status: 404, send: (f) => ({ path: { orgId: f.otherOrgId }, token: f.admin.token, body: { email: unique('new'), firstName: 'Nina', lastName: 'New' } }) },
  { op: 'POST /api/organizations/{orgId}/users', status: 409, title: 'EMAIL_TAKEN', send: (f) => ({ path: { orgId: f.orgId }, token: f.admin.token, body: { email: f.member.email, firstName: 'Mia', lastName: 'Member' } }) },

  { op: 'GET /api/organizations/{orgId}/users/{userId}', status: 200, send: (f) => ({ path: { orgId: f.orgId, userId: f.member.id }, token: f.admin.token }) },
  { op: 'GET /api/organizations/{orgId}/users/{userId}', status: 401, send: (f) => ({ path: { orgId: f.orgId, userId: f.member.id } }) },
  { op: 'GET /api/organizations/{orgId}/users/{userId}', status: 403, send: (f) => ({ path: { orgId: f.orgId, userId: f.member.id }, token: f.member.token }) },
  { op: 'GET /api/organizations/{orgId}/users/{userId}', status: 404, send: (f) => ({ path: { orgId: f.orgId, userId: UNKNOWN_ID }, token: f.admin.token }) },

  { op: 'PATCH /api/organizations/{orgId}/users/{userId}', status: 200, send: (f) => ({ path: { orgId: f.orgId, userId: f.member.id }, token: f.admin.token, body: { firstName: 'Mia' } }) },
  { op: 'PATCH /api/organizations/{orgId}/users/{userId}', status: 400, send: (f) => ({ path: { orgId: f.orgId, userId: f.member.id }, token: f.admin.token, body: { active: 'yes' } }) },
  { op: 'PATCH /api/organizations/{orgId}/users/{userId}', status: 401, send: (f) => ({ path: { orgId: f.orgId, userId: f.member.id }, body: {} }) },
  { op: 'PATCH /api/organizations/{orgId}/users/{userId}', status: 403, send: (f) => ({ path: { orgId: f.orgId, userId: f.member.id }, token: f.member.token, body: {} }) },
  { op: 'PATCH /api/organizations/{orgId}/users/{userId}', status: 404, send: (f) => ({ path: { orgId: f.orgId, userId: UNKNOWN_ID }, token: f.admin.token, body: { firstName: 'Nobody' } }) },
  { op: 'PATCH /api/organizations/{orgId}/users/{userId}', status: 409, title: 'LAST_ADMIN', send: (f) => ({ path: { orgId: f.orgId, userId: f.admin.id }, token: f.admin.token, body: { accessRole: 'MEMBER' } }) },

  { op: 'POST /api/organizations/{orgId}/users/{userId}/sessions/revoke', status: 204, send: async (f) => ({ path: { orgId: f.orgId, userId: (await f.user()).id }, token: f.admin.token }) },
  { op: 'POST /api/organizations/{orgId}/users/{userId}/sessions/revoke', status: 401, send: (f) => ({ path: { orgId: f.orgId, userId: f.member.id } }) },
  { op: 'POST /api/organizations/{orgId}/users/{userId}/sessions/revoke', status: 403, send: (f) => ({ path: { orgId: f.orgId, userId: f.admin.id }, token: f.member.token }) },
  { op: 'POST /api/organizations/{orgId}/users/{userId}/sessions/revoke', status: 404, send: (f) => ({ path: { orgId: f.orgId, userId: UNKNOWN_ID }, token: f.admin.token }) },

  { op: 'POST /api/organizations/{orgId}/users/{userId}/invitation', status: 202, send: async (f) => {
    const created = await sendCase(f.t.url, 'POST /api/organizations/{orgId}/users', { path: { orgId: f.orgId }, token: f.admin.token, body: { email: unique('invited'), firstName: 'Ivy', lastName: 'Invited' } });
    return { path: { orgId: f.orgId, userId: (JSON.parse(created.text) as { user: { id: string } }).user.id }, token: f.admin.token };
  } },
  { op: 'POST /api/organizations/{orgId}/users/{userId}/invitation', status: 401, send: (f) => ({ path: { orgId: f.orgId, userId: f.member.id } }) },
  { op: 'POST /api/organizations/{orgId}/users/{userId}/invitation', status: 403, send: (f) => ({ path: { orgId: f.orgId, userId: f.member.id }, token: f.member.token }) },
  { op: 'POST /api/organizations/{orgId}/users/{userId}/invitation', status: 404, send: (f) => ({ path: { orgId: f.orgId, userId: UNKNOWN_ID }, token: f.admin.token }) },
  { op: 'POST /api/organizations/{orgId}/users/{userId}/invitation', status: 409, title: 'NOT_INVITED', send: (f) => ({ path: { orgId: f.orgId, userId: f.member.id }, token: f.admin.token }) },

  { op: 'POST /api/organizations/{orgId}/users/{userId}/password-reset', status: 202, send: async (f) => ({ path: { orgId: f.orgId, userId: (await f.user()).id }, token: f.admin.token }) },
  { op: 'POST /api/organizations/{orgId}/users/{userId}/password-reset', status: 401, send: (f) => ({ path: { orgId: f.orgId, userId: f.member.id } }) },
  { op: 'POST /api/organizations/{orgId}/users/{userId}/password-reset', status: 403, send: (f) => ({ path: { orgId: f.orgId, userId: f.member.id }, token: f.member.token }) },
  { op: 'POST /api/organizations/{orgId}/users/{userId}/password-reset', status: 404, send: (f) => ({ path: { orgId: f.orgId, userId: UNKNOWN_ID }, token: f.admin.token }) },
  { op: 'POST /api/organizations/{orgId}/users/{userId}/password-reset', status: 409, title: 'a migrated user', send: async (f) => ({ path: { orgId: f.orgId, userId: (await f.migrated()).id }, token: f.admin.token }) },

  { op: 'POST /api/auth/password', status: 204, send: async (f) => ({ token: (await f.user()).token, body: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD } }) },
  { op: 'POST /api/auth/password', status: 400, title: 'CURRENT_PASSWORD_INCORRECT', send: async (f) => ({ token: (await f.user()).token, body: { currentPassword: 'not my password', newPassword: NEW_PASSWORD } }) },
  { op: 'POST /api/auth/password', status: 401, send: () => ({ body: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD } }) },
  { op: 'POST /api/auth/password', status: 403, send: async (f) => ({ token: (await f.impersonation()).token, body: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD } }) },
  { op: 'POST /api/auth/password', status: 409, title: 'a migrated user', send: async (f) => ({ token: (await f.migrated()).token, body: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD } }) },
  { op: 'POST /api/auth/password', status: 429, send: async (f) => {
    const u = await f.user();
    await f.spend(u.email);
    return { token: u.token, body: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD } };
  } },

  { op: 'POST /api/auth/password/forgot', status: 202, send: (f) => ({ body: { email: f.member.email } }) },
  { op: 'POST /api/auth/password/forgot', status: 400, send: () => ({ body: { email: 'not-an-email' } }) },
  { op: 'POST /api/auth/password/forgot', status: 429, send: async (f) => {
    const email = unique('forgetful');
    for (let i = 0; i < 6; i++) await sendCase(f.t.url, 'POST /api/auth/password/forgot', { body: { email } });
    return { body: { email } };
  } },

  { op: 'POST /api/auth/password/reset', status: 204, send: async (f) => ({ body: { token: await f.resetToken((await f.user()).id), newPassword: NEW_PASSWORD } }) },
  { op: 'POST /api/auth/password/reset', status: 400, title: 'INVALID_RESET_TOKEN', send: () => ({ body: { token: 'not-a-reset-token', newPassword: NEW_PASSWORD } }) },
  { op: 'POST /api/auth/password/reset', status: 409, title: 'a migrated user', send: async (f) => ({ body: { token: await f.resetToken((await f.migrated()).id), newPassword: NEW_PASSWORD } }) },

  { op: 'GET /api/auth/sessions', status: 200, send: (f) => ({ token: f.member.token }) },
  { op: 'GET /api/auth/sessions', status: 401, send: () => ({ token: EXPIRED_TOKEN }) },

  { op: 'POST /api/auth/sessions/revoke-others', status: 204, send: async (f) => ({ token: (await f.user()).token }) },
  { op: 'POST /api/auth/sessions/revoke-others', status: 401, send: () => ({}) },
  { op: 'POST /api/auth/sessions/revoke-others', status: 403, send: async (f) => ({ token: (await f.impersonation()).token }) },

  { op: 'DELETE /api/auth/sessions/{sessionId}', status: 204, send: async (f) => {
    const u = await f.user();
    return { path: { sessionId: u.sessionId }, token: u.token };
  } },
  { op: 'DELETE /api/auth/sessions/{sessionId}', status: 401, send: () => ({ path: { sessionId: UNKNOWN_ID } }) },
  { op: 'DELETE /api/auth/sessions/{sessionId}', status: 403, send: async (f) => ({ path: { sessionId: UNKNOWN_ID }, token: (await f.impersonation()).token }) },
  { op: 'DELETE /api/auth/sessions/{sessionId}', status: 404, send: (f) => ({ path: { sessionId: UNKNOWN_ID }, token: f.member.token }) },

  { op: 'GET /api/organizations/{orgId}/audit', status: 200, send: (f) => ({ path: { orgId: f.orgId }, query: { limit: '5' }, token: f.admin.token }) },
  { op: 'GET /api/organizations/{orgId}/audit', status: 400, send: (f) => ({ path: { orgId: f.orgId }, query: { limit: 'many' }, token: f.admin.token }) },
  { op: 'GET /api/organizations/{orgId}/audit', status: 401, send: (f) => ({ path: { orgId: f.orgId } }) },
  { op: 'GET /api/organizations/{orgId}/audit', status: 403, send: (f) => ({ path: { orgId: f.orgId }, token: f.member.token }) },
  { op: 'GET /api/organizations/{orgId}/audit', status: 404, send: (f) => ({ path: { orgId: f.otherOrgId }, token: f.admin.token }) },

  { op: 'POST /api/auth/mfa/totp', status: 200, send: async (f) => ({ token: (await f.user()).token }) },
  { op: 'POST /api/auth/mfa/totp', status: 401, send: () => ({}) },
  { op: 'POST /api/auth/mfa/totp', status: 403, send: async (f) => ({ token: (await f.impersonation()).token }) },
  { op: 'POST /api/auth/mfa/totp', status: 409, title: 'MFA_ALREADY_ENABLED', send: async (f) => ({ token: (await f.totpUser()).token }) },

  { op: 'POST /api/auth/mfa/totp/confirm', status: 200, send: async (f) => {
    const u = await f.user();
    const started = await sendCase(f.t.url, 'POST /api/auth/mfa/totp', { token: u.token });
    return { token: u.token, body: { code: f.code((JSON.parse(started.text) as { secret: string }).secret) } };
  } },
  { op: 'POST /api/auth/mfa/totp/confirm', status: 400, send: async (f) => ({ token: (await f.user()).token, body: { code: 492039 } }) },
  { op: 'POST /api/auth/mfa/totp/confirm', status: 401, title: 'MFA_CODE_INVALID', send: async (f) => {
    const u = await f.user();
    const started = await sendCase(f.t.url, 'POST /api/auth/mfa/totp', { token: u.token });
    return { token: u.token, body: { code: wrongCode(f, (JSON.parse(started.text) as { secret: string }).secret) } };
  } },
  { op: 'POST /api/auth/mfa/totp/confirm', status: 403, send: async (f) => ({ token: (await f.impersonation()).token, body: { code: '492039' } }) },
  { op: 'POST /api/auth/mfa/totp/confirm', status: 409, title: 'MFA_ENROLLMENT_NOT_STARTED', send: async (f) => ({ token: (await f.user()).token, body: { code: '492039' } }) },
  { op: 'POST /api/auth/mfa/totp/confirm', status: 429, send: async (f) => {
    const u = await f.user();
    await f.spend(u.email);
    return { token: u.token, body: { code: '492039' } };
  } },

  // The three operations a current code or a recovery code proves, each with both proofs.
  ...([['DELETE /api/auth/mfa/totp', 204], ['POST /api/auth/mfa/recovery-codes', 200], ['POST /api/auth/mfa/step-up', 204]] as const).flatMap(([op, ok]): Case[] => [
    { op, status: ok, send: async (f) => {
      const u = await f.totpUser();
      return { token: u.token, body: { code: f.code(u.secret) } };
    } },
    { op, status: ok, title: 'proved with a recovery code', send: async (f) => {
      const u = await f.totpUser();
      return { token: u.token, body: { code: u.recoveryCodes[0] } };
    } },
    { op, status: 400, send: async (f) => ({ token: (await f.totpUser()).token, body: { code: 492039 } }) },
    { op, status: 401, title: 'MFA_CODE_INVALID', send: async (f) => {
      const u = await f.totpUser();
      return { token: u.token, body: { code: wrongCode(f, u.secret) } };
    } },
    { op, status: 403, send: async (f) => ({ token: (await f.impersonation()).token, body: { code: '492039' } }) },
    { op, status: 409, title: 'MFA_NOT_ENABLED', send: async (f) => ({ token: (await f.user()).token, body: { code: '492039' } }) },
    { op, status: 429, send: async (f) => {
      const u = await f.totpUser();
      await f.spend(u.email);
      return { token: u.token, body: { code: f.code(u.secret) } };
    } },
  ]),

  { op: 'GET /api/organizations/{orgId}/mfa-policy', status: 200, send: (f) => ({ path: { orgId: f.orgId }, token: f.admin.token }) },
  { op: 'GET /api/organizations/{orgId}/mfa-policy', status: 401, send: (f) => ({ path: { orgId: f.orgId } }) },
  { op: 'GET /api/organizations/{orgId}/mfa-policy', status: 403, send: (f) => ({ path: { orgId: f.orgId }, token: f.member.token }) },
  { op: 'GET /api/organizations/{orgId}/mfa-policy', status: 404, send: (f) => ({ path: { orgId: f.otherOrgId }, token: f.admin.token }) },

  { op: 'PUT /api/organizations/{orgId}/mfa-policy', status: 200, send: (f) => ({ path: { orgId: f.orgId }, token: f.admin.token, body: { required: 'none' } }) },
  { op: 'PUT /api/organizations/{orgId}/mfa-policy', status: 400, send: (f) => ({ path: { orgId: f.orgId }, token: f.admin.token, body: { required: 'sometimes' } }) },
  { op: 'PUT /api/organizations/{orgId}/mfa-policy', status: 401, send: (f) => ({ path: { orgId: f.orgId }, body: { required: 'none' } }) },
  { op: 'PUT /api/organizations/{orgId}/mfa-policy', status: 403, send: (f) => ({ path: { orgId: f.orgId }, token: f.member.token, body: { required: 'none' } }) },
  { op: 'PUT /api/organizations/{orgId}/mfa-policy', status: 404, send: (f) => ({ path: { orgId: f.otherOrgId }, token: f.admin.token, body: { required: 'none' } }) },
];

/** Documented answers this file does not provoke, with the reason and the test that does. */
const NOT_PROVOKED: Record<string, string> = {
  'GET /api/health/ready 503': 'needs the database down: test/faults/database-outage.e2e.ts',
  'POST /api/auth/login 503': 'needs the database or WorkOS down: test/faults/database-outage.e2e.ts, test/workos/password-login.e2e.ts',
  'GET /api/auth/workos/authorize 503': 'needs an app without WorkOS configured: test/workos/sso.e2e.ts',
  'POST /api/auth/workos/callback 503': 'needs WorkOS down: test/workos/sso.e2e.ts',
  'POST /api/workspace/auth/login 503': 'needs the database down: test/workspace/faults.e2e.ts',
  'POST /api/auth/login/mfa 503': 'needs the database or WorkOS down: test/mfa/workos-steps.e2e.ts',
  'POST /api/auth/login/email-verification 503': 'needs WorkOS down: test/mfa/workos-steps.e2e.ts',
};

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
    const { body, token, refreshToken } = await signIn(t, email);
    return { id: body.user.id, email, token, refreshToken, sessionId: body.session.id };
  };

  before(async () => {
    workos = await WorkosStandIn.start();
    t = await startTestApp({ clock, config: { workos: workos.failFastConfig(), ssoRedirectUris: [REDIRECT], refreshTokenCookie: { secure: true } } });
    const ws = await createWorkspaceFixture(t.db);
    const org = await createOrganization(t.db, { slug: 'responses', name: 'Responses Inc', workosOrganizationId: WORKOS_ORG });
    const other = await createOrganization(t.db, { slug: 'elsewhere', name: 'Elsewhere' });
    await createUser(t.db, org, { email: 'admin@responses.example', accessRole: AccessRole.ADMIN });
    await createUser(t.db, org, { email: 'member@responses.example' });
    await createUser(t.db, org, { email: 'sso-user@acme.example' });
    const admin = await login('admin@responses.example');
    const member = await login('member@responses.example');
    const mfaOrg = await createOrganization(t.db, { slug: 'responses-mfa', name: 'MFA for all' });
    await setMfaPolicy(t.db, mfaOrg, 'all');
    const newUser = async (fields: UserFields = {}, organization = org): Promise<Signed> => {
      const email = fields.email ?? unique('user');
      await createUser(t.db, organization, { ...fields, email });
      return login(email);
    };
    const code = (secret: string, offsetSteps = 0) => codeAt(secret, clock, offsetSteps);
    const totpUser = async (): Promise<Totp> => {
      const u = await newUser();
      const started = await sendCase(t.url, 'POST /api/auth/mfa/totp', { token: u.token });
      const { secret } = JSON.parse(started.text) as { secret: string };
      const confirmed = await sendCase(t.url, 'POST /api/auth/mfa/totp/confirm', { token: u.token, body: { code: code(secret) } });
      assert.equal(confirmed.status, 200, confirmed.text);
      // The confirmation used this time step's code: the next one comes from the next step.
      clock.advance(30_000);
      return { ...u, secret, recoveryCodes: (JSON.parse(confirmed.text) as { recoveryCodes: string[] }).recoveryCodes };
    };
    const mfaStepOf = async (email: string, expected: string): Promise<string> => {
      const res = await sendCase(t.url, 'POST /api/auth/login', { body: { email, password: PASSWORD } });
      const body = JSON.parse(res.text) as { code: string; mfa: { token: string } };
      assert.equal(`${res.status} ${body.code}`, `403 ${expected}`, res.text);
      return body.mfa.token;
    };
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
      user: (fields) => newUser(fields),
      totpUser,
      code,
      mfaStep: async (kind, existing) => {
        if (kind === 'required') {
          const u = await totpUser();
          return { email: u.email, token: await mfaStepOf(u.email, 'MFA_REQUIRED'), secret: u.secret };
        }
        const email = existing ?? unique('enrolling');
        if (!existing) await createUser(t.db, mfaOrg, { email });
        return { email, token: await mfaStepOf(email, 'MFA_ENROLLMENT_REQUIRED'), secret: '' };
      },
      spend: async (email) => {
        for (let i = 0; i < 8; i++) await sendCase(t.url, 'POST /api/auth/login', { body: { email, password: 'wrong password' } });
      },
      migrated: async () => {
        const u = await newUser();
        await t.db.query(`UPDATE users SET workos_user_id = $2, migrated_at = now() WHERE id = $1`, [u.id, `user_01MIGRATED${serial}`]);
        return u;
      },
      resetToken: async (userId) => {
        const token = generateAccountToken();
        await t.db.query(`INSERT INTO account_tokens (user_id, kind, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`, [
          userId,
          AccountTokenKind.PasswordReset,
          hashAccountToken(token),
          new Date(clock.nowMs()),
          new Date(clock.nowMs() + 3_600_000),
        ]);
        return token;
      },
      emailVerification: async () => {
        const email = unique('verifying');
        const remote = workos.addUser({ email, password: WORKOS_PASSWORD });
        await createUser(t.db, org, { email, workosUserId: remote.id, migratedAt: new Date(clock.nowMs()), passwordHash: null });
        workos.setScenario(email, 'email_verification_required');
        const res = await sendCase(t.url, 'POST /api/auth/login', { body: { email, password: WORKOS_PASSWORD } });
        const body = JSON.parse(res.text) as { code: string; verification: { token: string } };
        assert.equal(`${res.status} ${body.code}`, '403 EMAIL_VERIFICATION_REQUIRED', res.text);
        return { email, token: body.verification.token, code: workos.emailedCodeFor(remote.id) as string };
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
      const covered = new Set([...CASES, ...generatedCases(validator, CASES)].filter((c) => c.op === op).map((c) => c.status));
      if (![...covered].some((s) => s < 300)) missing.push(`${op}: no valid request`);
      for (const status of validator.statuses(op)) {
        if (!covered.has(status) && !NOT_PROVOKED[`${op} ${status}`]) missing.push(`${op}: documented ${status} has no case`);
      }
    }
    for (const c of CASES) if (!validator.operations().includes(c.op)) missing.push(`${c.op}: a case for an operation the document lacks`);
    assert.deepEqual(missing, []);
  });
});
