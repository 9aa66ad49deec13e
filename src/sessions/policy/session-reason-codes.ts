import { ApiErrorCode } from '../../platform/errors/api-error-code';

/**
 * The 401 codes that end (or refuse to renew) a session, with what each means for
 * the SPA. Written once here for the OpenAPI descriptions and docs/session-policy.md.
 */
export const SESSION_REASON_CODES: readonly { code: ApiErrorCode; when: string }[] = [
  { code: ApiErrorCode.TOKEN_INVALID, when: 'no bearer token, or one that is malformed, forged, or for another audience' },
  { code: ApiErrorCode.TOKEN_EXPIRED, when: 'the access token is past its exp: refresh it' },
  { code: ApiErrorCode.SESSION_REVOKED, when: 'the session was ended (logout, admin, refresh-token reuse, user deactivated or password changed, the admin behind an impersonation no longer an active ADMIN)' },
  { code: ApiErrorCode.SESSION_IDLE_TIMEOUT, when: 'policy enabled and no request or refresh for idleTimeoutMinutes' },
  { code: ApiErrorCode.SESSION_EXPIRED, when: 'the session reached its absolute limit (session.expiresAt); refresh never moves it' },
  {
    code: ApiErrorCode.SILENT_RENEWAL_DISABLED,
    when: 'refresh refused: policy enabled and silent renewal off for how the session was opened (passwordSilentRenewalEnabled / ssoSilentRenewalEnabled); the SPA applies passwordFallbackBehavior / ssoFallbackBehavior',
  },
  { code: ApiErrorCode.REFRESH_TOKEN_REUSED, when: 'a rotated refresh token came back after the grace window: the whole session is revoked' },
  { code: ApiErrorCode.INVALID_REFRESH_TOKEN, when: 'the refresh token is unknown, malformed, or its session has ended' },
];

/** The codes a bearer-guarded request can answer with. */
export const BEARER_REASON_CODES: readonly ApiErrorCode[] = [
  ApiErrorCode.TOKEN_INVALID,
  ApiErrorCode.TOKEN_EXPIRED,
  ApiErrorCode.SESSION_REVOKED,
  ApiErrorCode.SESSION_IDLE_TIMEOUT,
  ApiErrorCode.SESSION_EXPIRED,
];

export const describeReasonCodes = (): string => SESSION_REASON_CODES.map((r) => `- \`${r.code}\`: ${r.when}`).join('\n');
