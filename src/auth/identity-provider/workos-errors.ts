import {
  AuthenticationException,
  BadRequestException,
  GenericServerException,
  NotFoundException,
  OauthException,
  RateLimitExceededException,
  UnauthorizedException,
  UnprocessableEntityException,
} from '@workos-inc/node';
import { ApiErrorCode } from '../../platform/errors/api-error-code';
import { ApiException, apiError } from '../../platform/errors/api.exception';
import { IdentityProviderUnavailable } from './identity-provider.errors';
import { ProviderPendingStep } from './pending-step';

/** Which call failed: the same WorkOS answer means different things for each. */
export type WorkosCall = 'password' | 'code' | 'users' | 'second_step';

/** WorkOS refused the one-time code of a second step (spec: 400 `invalid_one_time_code`). */
const REFUSED_CODE_CODES = new Set(['invalid_one_time_code', 'email_verification_code_invalid', 'invalid_code']);
/** WorkOS no longer knows the pending authentication (expired, used): the step has to start again. */
const DEAD_PENDING_CODES = new Set(['invalid_pending_authentication_token', 'pending_authentication_token_expired', 'authentication_challenge_expired']);

/**
 * Thrown by our fetch wrapper when WorkOS asks us to wait longer than a login may
 * take: the SDK does not retry errors it does not know, so the call ends at once.
 */
export class RetryAfterTooLong extends Error {
  constructor(
    readonly status: number,
    readonly retryAfterSeconds: number,
  ) {
    super(`WorkOS answered ${status} with Retry-After ${retryAfterSeconds}s`);
    this.name = 'RetryAfterTooLong';
  }
}

const MFA_CODES = new Set(['mfa_enrollment', 'mfa_challenge', 'mfa_verification']);
/** WorkOS will not take a password for this account: the user has to go through SSO. */
const PASSWORD_DISABLED_CODES = new Set(['email_password_auth_disabled', 'authentication_method_not_allowed']);

const validSeconds = (value: number | null | undefined): number | null =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;

/** The factors of an `mfa_challenge` answer (`authentication_factors: [{ id, type }]`), TOTP ones only. */
function totpFactorIds(raw: Record<string, unknown>): string[] {
  const factors = Array.isArray(raw.authentication_factors) ? (raw.authentication_factors as unknown[]) : [];
  return factors
    .filter((f): f is { id: string; type?: unknown } => typeof (f as { id?: unknown } | null)?.id === 'string')
    .filter((f) => f.type === undefined || f.type === 'totp')
    .map((f) => f.id);
}

function providerUserIdOf(raw: Record<string, unknown>): string | null {
  const user = raw.user as { id?: unknown } | undefined;
  return typeof user?.id === 'string' ? user.id : null;
}

function fromAuthenticationException(err: AuthenticationException): ApiException {
  const raw = (err.rawData ?? {}) as unknown as Record<string, unknown>;
  const pending = typeof err.pendingAuthenticationToken === 'string' && err.pendingAuthenticationToken !== '' ? err.pendingAuthenticationToken : null;
  // The steps this API carries on with (src/auth/second-step/); without a pending token they stay plain 403s.
  if (pending && err.code === 'email_verification_required') {
    return new ProviderPendingStep('email_verification', pending, providerUserIdOf(raw));
  }
  if (pending && err.code === 'mfa_challenge') {
    return new ProviderPendingStep('mfa_challenge', pending, providerUserIdOf(raw), totpFactorIds(raw));
  }
  if (err.code === 'email_verification_required') {
    return apiError(ApiErrorCode.EMAIL_VERIFICATION_REQUIRED, 'The identity provider requires the email address to be verified first.');
  }
  if (MFA_CODES.has(err.code)) {
    return apiError(ApiErrorCode.MFA_REQUIRED, 'The identity provider requires multi-factor authentication for this account.');
  }
  if (err.code === 'sso_required') {
    return apiError(ApiErrorCode.SSO_REQUIRED, 'This account must sign in with single sign-on.');
  }
  // organization_selection_required, radar challenges: steps this API cannot carry out.
  return apiError(
    ApiErrorCode.ADDITIONAL_VERIFICATION_REQUIRED,
    `The identity provider requires a further step this API does not support (${err.code}).`,
  );
}

function fromStatus(status: number, retryAfterSeconds: number | null = null): IdentityProviderUnavailable {
  if (status === 408) return new IdentityProviderUnavailable('timeout');
  if (status === 429) return new IdentityProviderUnavailable('rate_limited', retryAfterSeconds);
  if (status >= 500) return new IdentityProviderUnavailable('server_error', retryAfterSeconds);
  return new IdentityProviderUnavailable('misconfigured');
}

/**
 * Every outcome of a failed WorkOS call as one of the API's errors. The rules, in
 * the order the SDK's own classes nest (@workos-inc/node's exceptions):
 *
 * - 401 `UnauthorizedException` means WorkOS refused *our API key* (the SDK
 *   drops the body): 503, never INVALID_CREDENTIALS. WorkOS's documented answer
 *   to a wrong password is a 400 `invalid_credentials`; the official emulator's
 *   401 is not followed, because reading a revoked key as "wrong password" would
 *   lock every migrated user out and charge the failures to them.
 * - 429, 5xx, timeouts (an `OauthException` with status 408), network errors and
 *   bodies that are not JSON: 503, with the Retry-After when WorkOS gave one.
 * - Any other 4xx about the request itself (bad client id, unknown parameter)
 *   is our misconfiguration: 503, logged by the caller.
 */
export function mapWorkosError(err: unknown, call: WorkosCall): ApiException {
  if (err instanceof ApiException) return err;
  if (err instanceof RateLimitExceededException) {
    return new IdentityProviderUnavailable('rate_limited', validSeconds(err.retryAfter));
  }
  if (err instanceof AuthenticationException) return fromAuthenticationException(err);
  if (err instanceof UnauthorizedException) return new IdentityProviderUnavailable('misconfigured');
  if (err instanceof OauthException) {
    if (err.error === 'invalid_grant' && call === 'code') {
      return apiError(ApiErrorCode.INVALID_SSO_CODE, 'The sign-in code is invalid, expired or already used; start the sign-in again.');
    }
    return fromStatus(err.status);
  }
  if (call === 'second_step') {
    const code = (err as { code?: unknown; error?: unknown }).code ?? (err as { error?: unknown }).error;
    if (typeof code === 'string' && REFUSED_CODE_CODES.has(code)) return apiError(ApiErrorCode.MFA_CODE_INVALID);
    if (typeof code === 'string' && DEAD_PENDING_CODES.has(code)) return apiError(ApiErrorCode.MFA_TOKEN_INVALID);
  }
  if (err instanceof GenericServerException) {
    if (err.code === 'invalid_credentials' && call === 'password') return apiError(ApiErrorCode.INVALID_CREDENTIALS);
    if (err.code !== undefined && PASSWORD_DISABLED_CODES.has(err.code) && call === 'password') {
      return apiError(ApiErrorCode.SSO_REQUIRED, 'Password sign-in is disabled for this account; sign in with single sign-on.');
    }
    return fromStatus(err.status);
  }
  if (err instanceof BadRequestException) {
    if (err.code === 'invalid_credentials' && call === 'password') return apiError(ApiErrorCode.INVALID_CREDENTIALS);
    return new IdentityProviderUnavailable('misconfigured');
  }
  // The password itself was unacceptable (too long, malformed): it cannot be right.
  if (err instanceof UnprocessableEntityException) {
    return call === 'password' ? apiError(ApiErrorCode.INVALID_CREDENTIALS) : new IdentityProviderUnavailable('misconfigured');
  }
  if (err instanceof NotFoundException) return new IdentityProviderUnavailable('misconfigured');
  const cause = err instanceof Error ? err.cause : undefined;
  if (cause instanceof RetryAfterTooLong) return fromStatus(cause.status, cause.retryAfterSeconds);
  // `Error("Unexpected error: …")` wraps network failures and non-JSON error pages;
  // a TypeError is a 200 the SDK could not read. Either way WorkOS did not answer usefully.
  if (err instanceof Error && err.message.startsWith('Unexpected error:')) {
    return new IdentityProviderUnavailable(isNetworkFailure(cause) ? 'network' : 'malformed_response');
  }
  return new IdentityProviderUnavailable('malformed_response');
}

const isNetworkFailure = (cause: unknown): boolean => cause instanceof TypeError;

/** A one-line description for the logs: class, status, WorkOS code and request id. Never a request body. */
export function describeWorkosError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const e = err as Error & { status?: unknown; code?: unknown; error?: unknown; requestID?: unknown };
  const parts = [e.name];
  if (typeof e.status === 'number') parts.push(`status=${e.status}`);
  if (typeof e.code === 'string') parts.push(`code=${e.code}`);
  if (typeof e.error === 'string') parts.push(`error=${e.error}`);
  if (typeof e.requestID === 'string' && e.requestID) parts.push(`request=${e.requestID}`);
  const cause = e.cause instanceof Error ? `${e.cause.name}: ${e.cause.message}` : undefined;
  parts.push(cause ? `${e.message} (${cause})` : e.message);
  return parts.join(' ');
}
