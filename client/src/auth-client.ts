import { CallArgs, CallResult, resolveOperation } from './api-call';
import type { OperationKey } from './api-types';
import type { ImpersonationTicketDto, LoginResponseDto, OwnSessionDto, WorkspaceLoginEnvelope } from './generated/openapi';
import { errorOf } from './http';
import { MfaSession } from './mfa';
import type { LoginResult, SignedIn, StepUpRequired } from './mfa-steps';
import { defaultSessionStorage, SsoNonce } from './sso-nonce';
import { fromLoginResponse, fromWorkspaceLogin } from './stored-session';
import type { AuthSnapshot } from './types';

/** What POST /api/auth/impersonate/{userId} answers (docs/openapi.json, `ImpersonationTicketDto`). */
export type ImpersonationTicket = ImpersonationTicketDto;

/**
 * authgate in the browser: signs in (password, impersonation, SSO, workspace), keeps
 * the access token fresh with one refresh per origin at a time, tracks idleness across
 * tabs, warns before the idle deadline, and applies the organization's session policy
 * the way the server enforces it.
 *
 *   const auth = new AuthClient().start();
 *   auth.on('logout', ({ reason, message }) => showSignIn(message));
 *   const result = await auth.login({ email, password });
 *   if (result.status === 'mfa-required') await result.submitCode(codeFromTheUser);
 */
export class AuthClient extends MfaSession {
  private readonly ssoNonce = new SsoNonce(
    this.options.sessionStorage === undefined ? defaultSessionStorage() : this.options.sessionStorage,
    `${this.options.namespace ?? 'authgate'}.sso-nonce`,
  );

  /**
   * A password login. Resolves with the snapshot when signed in, or with the step the
   * server asks for first (`mfa-required`, `mfa-enrollment-required`,
   * `email-verification-required`); a refusal throws AuthApiError.
   */
  async login(credentials: { email: string; password: string }): Promise<LoginResult> {
    try {
      return this.open(await this.loginRequest('/api/auth/login', credentials)) as SignedIn;
    } catch (err) {
      return this.secondFactorOr(err);
    }
  }

  /** Redeems a single-use impersonation token (from POST /api/auth/impersonate/{userId}). */
  async loginWithImpersonationToken(input: { email: string; impersonationToken: string }): Promise<AuthSnapshot> {
    this.open(await this.loginRequest('/api/auth/login', input));
    await this.touch(); // `me` names the impersonator
    return this.snapshot();
  }

  /**
   * Finishes an SSO sign-in with the `code` and `state` WorkOS sent back to the redirect
   * URI, presenting the browserNonce this tab kept when it started the sign-in.
   */
  async completeSso(input: { code: string; state: string }): Promise<AuthSnapshot> {
    const browserNonce = this.ssoNonce.take();
    return this.open(await this.loginRequest('/api/auth/workos/callback', { code: input.code, state: input.state, browserNonce }));
  }

  /** The WorkOS address to send the browser to for SSO; the sign-in is bound to this tab (see SsoNonce). */
  async ssoAuthorizeUrl(input: { organizationId: string; redirectUri: string }): Promise<string> {
    const query = new URLSearchParams({ ...input, browserNonce: this.ssoNonce.create() });
    const answer = await this.http.request('GET', `/api/auth/workos/authorize?${query.toString()}`);
    if (answer.status !== 200) throw errorOf(answer);
    return (answer.body as { url: string }).url;
  }

  /** The workspace login API (seed 003): by user name or email, into `workspace` or the user's default one. */
  async loginToWorkspace(input: { userNameOrEmail: string; password: string; workspace?: string }): Promise<{
    snapshot: AuthSnapshot;
    warnings: WorkspaceLoginEnvelope['Warnings'];
  }> {
    const answer = await this.http.request('POST', '/api/workspace/auth/login', {
      body: { UserNameOrEmail: input.userNameOrEmail, Password: input.password },
      headers: input.workspace ? { 'x-workspace': input.workspace } : {},
    });
    const envelope = answer.body as WorkspaceLoginEnvelope | null;
    if (answer.status !== 200 || !envelope?.Success || !envelope.Data) throw errorOf(answer);
    this.begin(fromWorkspaceLogin(envelope.Data, this.nextGeneration()));
    return { snapshot: this.snapshot(), warnings: envelope.Warnings };
  }

  /**
   * As an admin: issue a ticket for `userId` with a reason, redeem it, and switch every
   * tab to the impersonated session. The admin's own session is kept aside and comes back
   * with `endImpersonation()`, or by itself when the impersonated session ends. An admin
   * with a second factor proves it first: then this resolves with `step-up-required`,
   * whose `prove(code)` steps up and impersonates.
   */
  startImpersonation(userId: string, options: { reason?: string } = {}): Promise<AuthSnapshot | StepUpRequired<AuthSnapshot>> {
    return this.withStepUp(() => this.impersonate(userId, options));
  }

  private async impersonate(userId: string, options: { reason?: string }): Promise<AuthSnapshot> {
    const admin = this.requireState();
    const ticket = (await this.authorized('POST', `/api/auth/impersonate/${encodeURIComponent(userId)}`, {
      body: options.reason ? { reason: options.reason } : {},
    })) as ImpersonationTicket;
    // Without cookies: in the refresh cookie's mode the cookie stays the admin's (stored-session.ts, withRefreshTokenInCookie).
    const body = await this.loginRequest('/api/auth/login', { email: ticket.user.email, impersonationToken: ticket.impersonationToken }, 'omit');
    const state = fromLoginResponse(body, this.nextGeneration());
    state.parked = { ...admin, parked: null };
    this.begin(state);
    await this.touch();
    return this.snapshot();
  }

  /** Ends the impersonated session on the server (where it is audited) and returns to the admin's own. */
  async endImpersonation(): Promise<AuthSnapshot> {
    const state = this.requireState();
    if (!state.parked) throw new Error('not impersonating');
    await this.http.request('POST', '/api/auth/logout', { token: state.token, credentials: 'omit' }).catch(() => undefined);
    await this.restoreParked(state.parked, 'user');
    return this.snapshot();
  }

  /**
   * Changes the password with the current one. This session stays signed in; every other
   * session of the user ends. A wrong current password throws CURRENT_PASSWORD_INCORRECT
   * (400: still signed in), a weak new one WEAK_PASSWORD with `body.errors[].reason`.
   */
  async changePassword(input: { currentPassword: string; newPassword: string }): Promise<void> {
    await this.authorized('POST', '/api/auth/password', { body: input });
  }

  /** Asks for a reset email. Always resolves (202) for a well-formed email, whether or not it names an account. */
  async requestPasswordReset(email: string): Promise<void> {
    await this.publicRequest('POST', '/api/auth/password/forgot', { email });
  }

  /** Sets a new password with the `token` of a reset link (…/reset-password?token=…). Sign in with it afterwards. */
  async resetPassword(input: { token: string; newPassword: string }): Promise<void> {
    await this.publicRequest('POST', '/api/auth/password/reset', input);
  }

  /** Accepts an invitation (…/accept-invitation?token=…) by choosing a first password, then signs in with it. */
  async acceptInvitation(input: { token: string; email: string; newPassword: string }): Promise<LoginResult> {
    await this.resetPassword({ token: input.token, newPassword: input.newPassword });
    return this.login({ email: input.email, password: input.newPassword });
  }

  /** The user's live sessions, newest first; `current` marks this one. */
  async listSessions(): Promise<OwnSessionDto[]> {
    return ((await this.authorized('GET', '/api/auth/sessions')) as { items: OwnSessionDto[] }).items;
  }

  /** Ends one of the user's sessions; ending this one signs out every tab. */
  async endSession(sessionId: string): Promise<void> {
    const current = this.state?.session?.id === sessionId;
    await this.authorized('DELETE', `/api/auth/sessions/${encodeURIComponent(sessionId)}`);
    if (current) await this.end('user', { notifyServer: false, broadcast: true });
  }

  /** Ends every session of the user but this one (after a lost phone, say). */
  async endOtherSessions(): Promise<void> {
    await this.authorized('POST', '/api/auth/sessions/revoke-others');
  }

  /** Signs out every tab: the session ends on the server (and an admin's parked session with it), then here. */
  async logout(): Promise<void> {
    await this.end('user', { notifyServer: true, broadcast: true });
  }

  /** A typed call of any operation of the API (bearer token included when signed in). */
  async call<K extends OperationKey>(key: K, args: CallArgs<K>): Promise<CallResult<K>> {
    const a = args as { path?: object; query?: object; body?: unknown; headers?: Record<string, string> };
    const { method, path } = resolveOperation(key, a);
    // The body is the document's promise for this operation; the response-validation test holds the service to it.
    if (this.state) return (await this.authorized(method, path, { body: a.body, headers: a.headers })) as CallResult<K>;
    const answer = await this.http.request(method, path, { body: a.body, headers: a.headers });
    if (answer.status >= 300) throw errorOf(answer);
    return answer.body as CallResult<K>;
  }

  private async publicRequest(method: string, path: string, body: unknown): Promise<unknown> {
    const answer = await this.http.request(method, path, { body });
    if (answer.status >= 300) throw errorOf(answer);
    return answer.body;
  }

  private async loginRequest(path: string, body: unknown, credentials?: RequestCredentials): Promise<LoginResponseDto> {
    const answer = await this.http.request('POST', path, { body, credentials });
    if (answer.status !== 200) throw errorOf(answer);
    this.observeBody(answer);
    return answer.body as LoginResponseDto;
  }

  private open(body: LoginResponseDto): AuthSnapshot {
    this.begin(fromLoginResponse(body, this.nextGeneration()));
    return this.snapshot();
  }
}
