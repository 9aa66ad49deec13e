import { ApiErrorCode } from '../../platform/errors/api-error-code';
import { ApiException } from '../../platform/errors/api.exception';

/**
 * WorkOS accepted the password but wants one more step that this API can carry
 * out (its `mfa_challenge` or `email_verification_required` answers). Uncaught,
 * it is the plain 403 it always was; the login's second step turns it into a
 * token the client continues with (src/auth/second-step/).
 */
export class ProviderPendingStep extends ApiException {
  constructor(
    readonly kind: 'mfa_challenge' | 'email_verification',
    /** WorkOS's pending authentication token: a credential, never logged or returned. */
    readonly pendingAuthenticationToken: string,
    /** The WorkOS user the step is for. */
    readonly providerUserId: string | null,
    /** `mfa_challenge`: the TOTP factors WorkOS lists for the user. */
    readonly factorIds: string[] = [],
  ) {
    super(
      kind === 'mfa_challenge' ? ApiErrorCode.MFA_REQUIRED : ApiErrorCode.EMAIL_VERIFICATION_REQUIRED,
      kind === 'mfa_challenge'
        ? 'The identity provider requires multi-factor authentication for this account.'
        : 'The identity provider requires the email address to be verified first.',
    );
  }
}
