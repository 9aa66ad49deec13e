import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import bcrypt from 'bcryptjs';
import { generateSecret, verifySync } from 'otplib';

/**
 * A local WorkOS for the tests: a plain node:http server speaking the wire format
 * documented in ../shared/notes/workos-sdk.md (§4, §5, §7), so the real
 * `@workos-inc/node` client talks to it over HTTP (https:false).
 *
 * It keeps users (with imported bcrypt hashes, verified with bcryptjs), one-time
 * authorization codes, a log of every request, per-email scenarios (MFA, email
 * verification, SSO required, …) and a queue of forced responses to make it fail
 * in every way WorkOS can: 4xx, 429 with Retry-After, 5xx, HTML, slowness,
 * and a closed port.
 */

export interface StandInUser {
  id: string;
  email: string;
  emailVerified: boolean;
  firstName: string | null;
  lastName: string | null;
  externalId: string | null;
  /** A plain password for users seeded by a test. */
  password: string | null;
  passwordHash: string | null;
  passwordHashType: string | null;
  createdAt: string;
  updatedAt: string;
}

export type Scenario =
  | 'email_verification_required'
  | 'mfa_enrollment'
  | 'mfa_challenge'
  | 'sso_required'
  | 'organization_selection_required'
  | 'email_password_auth_disabled';

export interface ForcedResponse {
  /** Only requests with this method and a path starting with this prefix take it (default: any). */
  match?: { method?: string; path?: string };
  status?: number;
  /** JSON body (ignored when `raw` is set). */
  body?: unknown;
  /** A raw body with its content type, e.g. an HTML error page. */
  raw?: { text: string; contentType: string };
  headers?: Record<string, string>;
  /** Wait this long before answering (past the client's timeout to make it abort). */
  delayMs?: number;
  /** Without status/body/raw: after the delay, answer as the stand-in normally would. */
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: any;
}

interface IssuedCode {
  userId: string;
  organizationId: string | null;
}

/** A pending authentication WorkOS handed out with `mfa_challenge` or `email_verification_required`. */
interface PendingAuthentication {
  userId: string;
  kind: 'mfa_challenge' | 'email_verification_required';
  /** The code WorkOS "emailed" (email verification). */
  emailCode: string | null;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const BCRYPT_HASH = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;

const newId = (prefix: string) => `${prefix}_01${randomBytes(12).toString('hex').toUpperCase()}`;

export class WorkosStandIn {
  readonly apiKey = 'sk_test_stand_in';
  readonly clientId = 'client_stand_in';
  readonly requests: LoggedRequest[] = [];

  private readonly users = new Map<string, StandInUser>();
  private readonly scenarios = new Map<string, Scenario>();
  private readonly codes = new Map<string, IssuedCode>();
  private readonly pending = new Map<string, PendingAuthentication>();
  /** Each user's WorkOS TOTP factor: factor id → { userId, secret } (a real RFC 6238 secret). */
  private readonly factors = new Map<string, { userId: string; secret: string }>();
  /** Challenges of TOTP factors: challenge id → factor id. */
  private readonly challenges = new Map<string, string>();
  private readonly forced: ForcedResponse[] = [];
  private readonly idempotent = new Map<string, { status: number; body: unknown }>();
  private readonly sockets = new Set<Socket>();
  private nextSsoLogin: IssuedCode | null = null;
  /** Awaited after a user is created and before WorkOS answers (a test can kill the caller here). */
  onUserCreated: ((user: StandInUser) => Promise<void> | void) | null = null;
  private refuseAfterCreates: number | null = null;
  private createsSeen = 0;
  private server: Server;
  port = 0;

  private constructor() {
    this.server = this.newServer();
  }

  static async start(): Promise<WorkosStandIn> {
    const standIn = new WorkosStandIn();
    await standIn.listen(0);
    return standIn;
  }

  /** The app's `workos` configuration pointing at this stand-in. */
  config() {
    return { apiKey: this.apiKey, clientId: this.clientId, hostname: '127.0.0.1', port: this.port, https: false };
  }

  /** The app's WorkOS settings for this stand-in with one attempt of 2 s: a test that makes the stand-in fail sees it at once. */
  failFastConfig() {
    return { ...this.config(), timeoutMs: 2000, maxRetries: 0 };
  }

  // ---- state the tests arrange -------------------------------------------------

  addUser(fields: Partial<StandInUser> & { email: string }): StandInUser {
    const now = new Date().toISOString();
    const user: StandInUser = {
      id: newId('user'),
      emailVerified: true,
      firstName: null,
      lastName: null,
      externalId: null,
      password: null,
      passwordHash: null,
      passwordHashType: null,
      createdAt: now,
      updatedAt: now,
      ...fields,
    };
    this.users.set(user.id, user);
    return user;
  }

  allUsers(): StandInUser[] {
    return [...this.users.values()];
  }

  usersWithEmail(email: string): StandInUser[] {
    return this.allUsers().filter((u) => u.email.toLowerCase() === email.toLowerCase());
  }

  removeUser(id: string): void {
    this.users.delete(id);
  }

  /** The base32 secret of the user's WorkOS TOTP factor (created on first use), for a test to compute codes. */
  totpSecretOf(userId: string): string {
    return this.factorOf(userId).secret;
  }

  /** The code WorkOS emailed for the latest email-verification step of this user. */
  emailedCodeFor(userId: string): string | null {
    const all = [...this.pending.values()].filter((p) => p.userId === userId && p.emailCode !== null);
    return all.length > 0 ? (all[all.length - 1].emailCode) : null;
  }

  private factorOf(userId: string): { id: string; secret: string } {
    for (const [id, factor] of this.factors) if (factor.userId === userId) return { id, secret: factor.secret };
    const id = newId('auth_factor');
    const secret = generateSecret();
    this.factors.set(id, { userId, secret });
    return { id, secret };
  }

  setScenario(email: string, scenario: Scenario): void {
    this.scenarios.set(email.toLowerCase(), scenario);
  }

  /** A one-time authorization code, as WorkOS would put on the redirect after an SSO sign-in. */
  issueCode(userId: string, organizationId: string | null = null): string {
    const code = `code_${randomBytes(12).toString('hex')}`;
    this.codes.set(code, { userId, organizationId });
    return code;
  }

  /** Who signs in at the next GET /user_management/authorize (otherwise it redirects with error=access_denied). */
  signInNextSsoAs(userId: string, organizationId: string | null = null): void {
    this.nextSsoLogin = { userId, organizationId };
  }

  /** Forced answers for the next matching requests, in order. */
  enqueue(...responses: ForcedResponse[]): void {
    this.forced.push(...responses);
  }

  /** After `count` more successful user creations, stop listening: every later call meets a closed port. */
  refuseAfterCreating(count: number): void {
    this.createsSeen = 0;
    this.refuseAfterCreates = count;
  }

  requestsTo(method: string, pathPrefix: string): LoggedRequest[] {
    return this.requests.filter((r) => r.method === method && r.path.startsWith(pathPrefix));
  }

  reset(): void {
    this.requests.length = 0;
    this.users.clear();
    this.scenarios.clear();
    this.codes.clear();
    this.pending.clear();
    this.challenges.clear();
    this.forced.length = 0;
    this.idempotent.clear();
    this.nextSsoLogin = null;
    this.refuseAfterCreates = null;
    this.onUserCreated = null;
  }

  // ---- lifecycle -------------------------------------------------------------

  /** Stops listening (connection refused from now on) but keeps every user and code. */
  async stop(): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  /** Listens again on the same port, with the same state. */
  async restart(): Promise<void> {
    await this.stop();
    this.server = this.newServer();
    await this.listen(this.port);
  }

  close(): Promise<void> {
    return this.stop();
  }

  private newServer(): Server {
    const server = createServer((req, res) => void this.handle(req, res));
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    return server;
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.port = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  // ---- HTTP ----------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const contentType = req.headers['content-type'] ?? '';
    let body: any = null;
    if (text.length > 0) {
      if (contentType.includes('json')) body = JSON.parse(text);
      else if (contentType.includes('x-www-form-urlencoded')) body = Object.fromEntries(new URLSearchParams(text));
      else body = text;
    }
    const method = req.method ?? 'GET';
    this.requests.push({ method, path: url.pathname, query: url.searchParams, headers: req.headers, body });

    const forcedAt = this.forced.findIndex(
      (f) => (!f.match?.method || f.match.method === method) && (!f.match?.path || url.pathname.startsWith(f.match.path)),
    );
    const forced = forcedAt >= 0 ? this.forced.splice(forcedAt, 1)[0] : undefined;
    if (forced?.delayMs) {
      await new Promise((resolve) => setTimeout(resolve, forced.delayMs));
      if (res.destroyed || req.socket.destroyed) return;
    }
    if (forced && (forced.status !== undefined || forced.raw || forced.body !== undefined)) {
      const status = forced.status ?? 200;
      if (forced.raw) return this.send(res, status, forced.raw.text, forced.raw.contentType, forced.headers);
      return this.send(res, status, JSON.stringify(forced.body ?? {}), JSON_TYPE, forced.headers);
    }

    const answer = this.route(method, url, req.headers, body);
    if (answer.created && this.onUserCreated) await this.onUserCreated(this.users.get((answer.body as { id: string }).id) as StandInUser);
    if (answer.location) {
      res.writeHead(302, { location: answer.location, 'x-request-id': newId('req') });
      res.end();
      return;
    }
    this.send(res, answer.status, JSON.stringify(answer.body), JSON_TYPE, answer.headers);
    if (answer.created && this.refuseAfterCreates !== null && ++this.createsSeen >= this.refuseAfterCreates) {
      this.refuseAfterCreates = null;
      // Let this answer reach the client, then go away like a crashed upstream.
      res.on('finish', () => void this.stop());
    }
  }

  private send(res: ServerResponse, status: number, text: string, contentType: string, headers: Record<string, string> = {}): void {
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': contentType, 'x-request-id': newId('req'), ...headers });
    res.end(text);
  }

  private route(
    method: string,
    url: URL,
    headers: IncomingMessage['headers'],
    body: any,
  ): { status: number; body?: unknown; headers?: Record<string, string>; location?: string; created?: boolean } {
    const path = url.pathname;
    if (method === 'GET' && path === '/user_management/authorize') return this.authorize(url);
    if (headers.authorization !== `Bearer ${this.apiKey}`) {
      return { status: 401, body: { message: 'Unauthorized' } };
    }
    if (method === 'POST' && path === '/user_management/authenticate') return this.authenticate(body);
    const challenge = /^\/auth\/factors\/([^/]+)\/challenge$/.exec(path);
    if (method === 'POST' && challenge) return this.challengeFactor(decodeURIComponent(challenge[1]));
    if (path === '/user_management/users') {
      if (method === 'POST') return this.idempotently(headers, () => this.createUser(body));
      if (method === 'GET') return this.listUsers(url);
    }
    const match = /^\/user_management\/users\/([^/]+)$/.exec(path);
    if (match) {
      const user = this.users.get(decodeURIComponent(match[1]));
      if (!user) return { status: 404, body: { message: `User not found: '${match[1]}'.`, code: 'entity_not_found' } };
      if (method === 'GET') return { status: 200, body: wireUser(user) };
      if (method === 'PUT') return this.updateUser(user, body);
    }
    return { status: 404, body: { message: `Not found: ${method} ${path}`, code: 'not_found' } };
  }

  private idempotently(headers: IncomingMessage['headers'], run: () => { status: number; body?: unknown; created?: boolean }) {
    const key = headers['idempotency-key'];
    if (typeof key !== 'string') return run();
    const seen = this.idempotent.get(key);
    if (seen) return seen;
    const answer = run();
    this.idempotent.set(key, { status: answer.status, body: answer.body });
    return answer;
  }

  private authorize(url: URL) {
    const redirectUri = url.searchParams.get('redirect_uri');
    const state = url.searchParams.get('state') ?? '';
    if (url.searchParams.get('client_id') !== this.clientId || !redirectUri) {
      return { status: 400, body: { error: 'invalid_request', error_description: 'client_id and redirect_uri are required' } };
    }
    const target = new URL(redirectUri);
    const login = this.nextSsoLogin;
    this.nextSsoLogin = null;
    if (login) {
      target.searchParams.set('code', this.issueCode(login.userId, login.organizationId ?? url.searchParams.get('organization_id')));
    } else {
      target.searchParams.set('error', 'access_denied');
      target.searchParams.set('error_description', 'The user cancelled the sign-in.');
    }
    target.searchParams.set('state', state);
    return { status: 302, location: target.toString() };
  }

  private authenticate(body: any) {
    if (body?.client_id !== this.clientId || body?.client_secret !== this.apiKey) {
      return { status: 401, body: { error: 'invalid_client', error_description: 'Invalid client secret.' } };
    }
    if (body.grant_type === 'password') return this.passwordGrant(body);
    if (body.grant_type === 'authorization_code') {
      const issued = typeof body.code === 'string' ? this.codes.get(body.code) : undefined;
      if (!issued) {
        return { status: 400, body: { error: 'invalid_grant', error_description: `The code '${body.code}' has expired or is invalid.` } };
      }
      this.codes.delete(body.code);
      const user = this.users.get(issued.userId);
      if (!user) return { status: 400, body: { error: 'invalid_grant', error_description: 'The user no longer exists.' } };
      return this.scenarioFor(user) ?? this.authenticated(user, issued.organizationId, 'SSO');
    }
    if (body.grant_type === 'urn:workos:oauth:grant-type:mfa-totp') return this.totpGrant(body);
    if (body.grant_type === 'urn:workos:oauth:grant-type:email-verification:code') return this.emailVerificationGrant(body);
    return { status: 400, body: { error: 'unsupported_grant_type', error_description: `Unsupported grant type: ${body.grant_type}` } };
  }

  /** `POST /auth/factors/{id}/challenge` → 201 an authentication_challenge (TOTP: no expiry, no code sent). */
  private challengeFactor(factorId: string) {
    if (!this.factors.has(factorId)) return { status: 404, body: { message: `Authentication Factor not found: '${factorId}'.`, code: 'entity_not_found' } };
    const id = newId('auth_challenge');
    this.challenges.set(id, factorId);
    const now = new Date().toISOString();
    return {
      status: 201,
      body: { object: 'authentication_challenge', id, created_at: now, updated_at: now, expires_at: null, authentication_factor_id: factorId },
    };
  }

  private takePending(token: unknown, kind: PendingAuthentication['kind']): PendingAuthentication | null {
    const entry = typeof token === 'string' ? this.pending.get(token) : undefined;
    return entry && entry.kind === kind ? entry : null;
  }

  private static readonly DEAD_PENDING = {
    status: 400,
    body: { code: 'invalid_pending_authentication_token', message: 'The pending authentication token is invalid or has expired.' },
  };
  private static readonly WRONG_CODE = { status: 400, body: { code: 'invalid_one_time_code', message: 'The one-time code is invalid or has expired.' } };

  /** grant `urn:workos:oauth:grant-type:mfa-totp`: pending token + challenge of the user's factor + a current code. */
  private totpGrant(body: any) {
    const pending = this.takePending(body.pending_authentication_token, 'mfa_challenge');
    if (!pending) return WorkosStandIn.DEAD_PENDING;
    const factorId = this.challenges.get(String(body.authentication_challenge_id));
    const factor = factorId ? this.factors.get(factorId) : undefined;
    if (!factor || factor.userId !== pending.userId) {
      return { status: 400, body: { code: 'authentication_challenge_not_found', message: 'The authentication challenge was not found.' } };
    }
    this.challenges.delete(String(body.authentication_challenge_id));
    const valid = typeof body.code === 'string' && verifySync({ secret: factor.secret, token: body.code, epochTolerance: 30 }).valid;
    if (!valid) return WorkosStandIn.WRONG_CODE;
    this.pending.delete(body.pending_authentication_token);
    const user = this.users.get(pending.userId) as StandInUser;
    return this.authenticated(user, null, 'Password');
  }

  /** grant `urn:workos:oauth:grant-type:email-verification:code`: pending token + the emailed code. */
  private emailVerificationGrant(body: any) {
    const pending = this.takePending(body.pending_authentication_token, 'email_verification_required');
    if (!pending) return WorkosStandIn.DEAD_PENDING;
    if (body.code !== pending.emailCode) return WorkosStandIn.WRONG_CODE;
    this.pending.delete(body.pending_authentication_token);
    const user = this.users.get(pending.userId) as StandInUser;
    user.emailVerified = true;
    return this.authenticated(user, null, 'Password');
  }

  private passwordGrant(body: any) {
    const user = this.allUsers().find((u) => u.email.toLowerCase() === String(body.email).toLowerCase());
    const invalid = { status: 400, body: { code: 'invalid_credentials', message: 'Invalid credentials.' } };
    if (!user || typeof body.password !== 'string') return invalid;
    const matches =
      user.password !== null
        ? user.password === body.password
        : user.passwordHash !== null && bcrypt.compareSync(body.password, user.passwordHash);
    if (!matches) return invalid;
    return this.scenarioFor(user) ?? this.authenticated(user, null, 'Password');
  }

  private scenarioFor(user: StandInUser) {
    const scenario = this.scenarios.get(user.email.toLowerCase());
    if (!scenario) return null;
    const pending = `pat_${randomBytes(8).toString('hex')}`;
    switch (scenario) {
      case 'email_verification_required':
        this.pending.set(pending, { userId: user.id, kind: scenario, emailCode: String(100000 + (randomBytes(3).readUIntBE(0, 3) % 900000)) });
        return {
          status: 403,
          body: {
            code: scenario,
            message: 'Email ownership must be verified before authentication.',
            pending_authentication_token: pending,
            email: user.email,
            email_verification_id: newId('email_verification'),
          },
        };
      case 'mfa_enrollment':
        return { status: 403, body: { code: scenario, message: 'The user must enroll in MFA.', pending_authentication_token: pending, user: wireUser(user) } };
      case 'mfa_challenge':
        this.pending.set(pending, { userId: user.id, kind: scenario, emailCode: null });
        return {
          status: 403,
          body: {
            code: scenario,
            message: 'The user must complete an MFA challenge.',
            pending_authentication_token: pending,
            authentication_factors: [{ id: this.factorOf(user.id).id, type: 'totp' }],
            user: wireUser(user),
          },
        };
      case 'organization_selection_required':
        return {
          status: 403,
          body: {
            code: scenario,
            message: 'The user must choose an organization.',
            pending_authentication_token: pending,
            organizations: [{ id: 'org_01A', name: 'A' }],
            user: wireUser(user),
          },
        };
      case 'sso_required':
        return {
          status: 400,
          body: {
            error: scenario,
            error_description: 'User must authenticate using one of the matching connections.',
            connection_ids: ['conn_01'],
            email: user.email,
            pending_authentication_token: pending,
          },
        };
      case 'email_password_auth_disabled':
        return { status: 403, body: { code: scenario, message: 'Email and password authentication is disabled.' } };
    }
  }

  private authenticated(user: StandInUser, organizationId: string | null, method: string) {
    user.updatedAt = new Date().toISOString();
    return {
      status: 200,
      body: {
        user: wireUser(user),
        organization_id: organizationId,
        access_token: `eyJ.stand-in.${randomBytes(8).toString('hex')}`,
        refresh_token: `refresh_${randomBytes(8).toString('hex')}`,
        authentication_method: method,
      },
    };
  }

  private createUser(body: any) {
    if (typeof body?.email !== 'string' || !body.email.includes('@')) {
      return { status: 422, body: { code: 'invalid_request_parameters', message: 'Validation failed.', errors: [{ code: 'email_invalid', field: 'email' }] } };
    }
    if (body.password !== undefined && body.password_hash !== undefined) {
      return { status: 400, body: { code: 'password_and_password_hash_provided', message: 'Provide a password or a password hash, not both.' } };
    }
    if (body.password_hash !== undefined && (body.password_hash_type !== 'bcrypt' || !BCRYPT_HASH.test(body.password_hash))) {
      return { status: 400, body: { code: 'invalid_password_hash', message: 'The password hash is not a valid bcrypt hash.' } };
    }
    if (this.usersWithEmail(body.email).length > 0) {
      return {
        status: 400,
        body: {
          code: 'user_creation_error',
          message: 'Validation failed.',
          errors: [{ code: 'email_not_available', message: 'This email is not available.' }],
        },
      };
    }
    const user = this.addUser({
      email: body.email,
      emailVerified: body.email_verified === true,
      firstName: body.first_name ?? null,
      lastName: body.last_name ?? null,
      externalId: body.external_id ?? null,
      password: typeof body.password === 'string' ? body.password : null,
      passwordHash: body.password_hash ?? null,
      passwordHashType: body.password_hash_type ?? null,
    });
    return { status: 201, body: wireUser(user), created: true };
  }

  private updateUser(user: StandInUser, body: any) {
    if (body?.password_hash !== undefined) {
      if (body.password_hash_type !== 'bcrypt' || !BCRYPT_HASH.test(body.password_hash)) {
        return { status: 400, body: { code: 'invalid_password_hash', message: 'The password hash is not a valid bcrypt hash.' } };
      }
      user.passwordHash = body.password_hash;
      user.passwordHashType = body.password_hash_type;
      user.password = null;
    }
    if (body?.email_verified !== undefined) user.emailVerified = body.email_verified === true;
    if (body?.external_id !== undefined) user.externalId = body.external_id;
    if (body?.first_name !== undefined) user.firstName = body.first_name;
    if (body?.last_name !== undefined) user.lastName = body.last_name;
    user.updatedAt = new Date().toISOString();
    return { status: 200, body: wireUser(user) };
  }

  private listUsers(url: URL) {
    const email = url.searchParams.get('email');
    const data = (email ? this.usersWithEmail(email) : this.allUsers()).map(wireUser);
    return { status: 200, body: { object: 'list', data, list_metadata: { before: null, after: null } } };
  }
}

/** The snake_case user object of the WorkOS API. Never includes a password or hash. */
function wireUser(u: StandInUser) {
  return {
    object: 'user',
    id: u.id,
    email: u.email,
    email_verified: u.emailVerified,
    first_name: u.firstName,
    last_name: u.lastName,
    profile_picture_url: null,
    last_sign_in_at: null,
    locale: null,
    external_id: u.externalId,
    metadata: {},
    created_at: u.createdAt,
    updated_at: u.updatedAt,
  };
}
