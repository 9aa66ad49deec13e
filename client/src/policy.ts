import type { FallbackBehavior, LogoutReason, ServerLogoutReason, SessionConfig, SessionMethod } from './types';

const MINUTE = 60_000;

/** The same rule the server applies: may this session refresh without the user? */
export function silentRenewalAllowed(method: SessionMethod | null, policy: SessionConfig | null): boolean {
  if (!policy || !policy.enabled) return true;
  switch (method) {
    case 'password':
      return policy.passwordSilentRenewalEnabled;
    case 'sso':
      return policy.ssoSilentRenewalEnabled;
    case 'impersonation':
      return true;
    case null:
      return false;
  }
}

/**
 * What happens when a session ends for this reason. The policy's fallback is about
 * sessions that could not renew (renewal disabled, token or session lifetime over,
 * refresh token gone); an idle timeout, a revocation, a reused token or the user's own
 * sign-out always just sign out, since sending an SSO user straight back through the
 * identity provider would undo them.
 */
export function fallbackFor(reason: LogoutReason, method: SessionMethod | null, policy: SessionConfig | null): FallbackBehavior {
  const renewalFailure =
    reason === 'SILENT_RENEWAL_DISABLED' ||
    reason === 'TOKEN_EXPIRED' ||
    reason === 'SESSION_EXPIRED' ||
    reason === 'INVALID_REFRESH_TOKEN';
  if (!renewalFailure || !policy) return 'logout';
  if (method === 'sso') return policy.ssoFallbackBehavior;
  if (method === 'password') return policy.passwordFallbackBehavior;
  return 'logout';
}

const SERVER_REASONS: readonly ServerLogoutReason[] = [
  'SESSION_IDLE_TIMEOUT',
  'SESSION_EXPIRED',
  'SESSION_REVOKED',
  'REFRESH_TOKEN_REUSED',
  'INVALID_REFRESH_TOKEN',
  'SILENT_RENEWAL_DISABLED',
  'TOKEN_EXPIRED',
  'TOKEN_INVALID',
];

/** A server error code that ends the session, or null when the code is about something else. */
export function sessionEndingCode(code: string | undefined): ServerLogoutReason | null {
  return SERVER_REASONS.find((r) => r === code) ?? null;
}

/** The workspace API spells the same codes in PascalCase (`SessionIdleTimeout`). */
export function fromWorkspaceCode(code: string | undefined): ServerLogoutReason | null {
  if (!code) return null;
  return sessionEndingCode(code.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase());
}

export const LOGOUT_MESSAGES: Readonly<Record<LogoutReason, string>> = {
  user: 'You signed out.',
  idle: 'You were signed out after a period of inactivity.',
  SESSION_IDLE_TIMEOUT: 'Your session ended after a period of inactivity.',
  SESSION_EXPIRED: 'Your session reached its maximum lifetime. Please sign in again.',
  SESSION_REVOKED: 'Your session was ended.',
  REFRESH_TOKEN_REUSED: 'Your session was ended because its refresh token was used twice.',
  INVALID_REFRESH_TOKEN: 'Your session could not be renewed. Please sign in again.',
  SILENT_RENEWAL_DISABLED: 'Your organization requires you to sign in again.',
  TOKEN_EXPIRED: 'Your access expired. Please sign in again.',
  TOKEN_INVALID: 'Your access is no longer valid. Please sign in again.',
};

export interface IdleInput {
  policy: SessionConfig | null;
  /** Last user input anywhere on the origin (this tab's clock), when the client tracks input. */
  lastActivity: number;
  /** The server's idle deadline in this tab's clock, used when the client does not track input. */
  serverIdleDeadline: number | null;
  /** The absolute end of the session: nothing lasts past it. */
  sessionDeadline: number | null;
}

/** Whether the client counts user input itself (else it follows the server's deadline). */
export const tracksInput = (policy: SessionConfig | null): boolean => !!policy?.enabled && policy.idleTrackingEnabled;

/** The idle deadline and the moment the warning shows, or nulls when the policy has no idle limit. */
export function idleDeadlines(input: IdleInput): { idle: number | null; warning: number | null } {
  const { policy } = input;
  if (!policy?.enabled) return { idle: null, warning: null };
  let idle = tracksInput(policy) ? input.lastActivity + policy.idleTimeoutMinutes * MINUTE : input.serverIdleDeadline;
  if (idle === null) return { idle: null, warning: null };
  if (input.sessionDeadline !== null) idle = Math.min(idle, input.sessionDeadline);
  const warningMs = policy.warningTimeMinutes * MINUTE;
  return { idle, warning: warningMs > 0 ? idle - warningMs : null };
}

/** When to refresh the access token: a minute ahead, or a tenth of its life for short tokens. */
export function renewalTime(accessTokenDeadline: number, lifetimeMs: number): number {
  return accessTokenDeadline - Math.min(MINUTE, Math.max(1_000, Math.floor(lifetimeMs / 10)));
}

/**
 * Whether the server should hear that the user is active: the client only reports input
 * through requests, so once half of the idle window has passed since the server last saw
 * the session, one request (GET /me) moves its deadline again.
 */
export function needsServerTouch(input: {
  policy: SessionConfig | null;
  now: number;
  lastActivity: number;
  lastServerContact: number;
}): boolean {
  const { policy } = input;
  if (!tracksInput(policy) || !policy) return false;
  const half = (policy.idleTimeoutMinutes * MINUTE) / 2;
  return input.lastActivity > input.lastServerContact && input.now - input.lastServerContact >= half;
}
