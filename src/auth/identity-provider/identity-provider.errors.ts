import { ApiErrorCode } from '../../platform/errors/api-error-code';
import { ApiException, DEFAULT_MESSAGES } from '../../platform/errors/api.exception';

/** Why the provider could not answer; decides whether retrying makes sense. */
export type UnavailableReason =
  | 'not_configured'
  | 'rate_limited'
  | 'timeout'
  | 'network'
  | 'server_error'
  | 'malformed_response'
  /** The provider refused our own credentials or request (bad API key, bad client id): retrying cannot help. */
  | 'misconfigured';

/**
 * 503 IDENTITY_PROVIDER_UNAVAILABLE, with the reason kept for logs and retries.
 * A known Retry-After is passed on to the client as a header.
 */
export class IdentityProviderUnavailable extends ApiException {
  constructor(
    readonly reason: UnavailableReason,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(
      ApiErrorCode.IDENTITY_PROVIDER_UNAVAILABLE,
      DEFAULT_MESSAGES[ApiErrorCode.IDENTITY_PROVIDER_UNAVAILABLE] as string,
      undefined,
      retryAfterSeconds !== null ? { 'retry-after': String(Math.ceil(retryAfterSeconds)) } : undefined,
    );
  }

  get retryable(): boolean {
    return this.reason !== 'misconfigured' && this.reason !== 'not_configured';
  }
}

/** The provider already has a user with this email (WorkOS `email_not_available`). Never client-visible. */
export class EmailNotAvailable extends Error {
  constructor() {
    super('The identity provider already has a user with this email.');
    this.name = 'EmailNotAvailable';
  }
}
