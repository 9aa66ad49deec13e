import { ApiErrorCode } from '../../common/errors/api-error-code';
import { apiError } from '../../common/errors/api.exception';
import { IdentityProvider, IdentityProviderAuthentication } from './identity-provider';

const notConfigured = () =>
  apiError(ApiErrorCode.IDENTITY_PROVIDER_UNAVAILABLE, 'No identity provider is configured (WORKOS_API_KEY, WORKOS_CLIENT_ID).');

/** Used when WORKOS_API_KEY / WORKOS_CLIENT_ID are unset: migrated users get 503, as the contract says. */
export class UnconfiguredIdentityProvider extends IdentityProvider {
  readonly configured = false;

  authenticateWithPassword(): Promise<IdentityProviderAuthentication> {
    return Promise.reject(notConfigured());
  }
  authenticateWithCode(): Promise<IdentityProviderAuthentication> {
    return Promise.reject(notConfigured());
  }
  getAuthorizationUrl(): string {
    throw notConfigured();
  }
  importUser(): Promise<string> {
    return Promise.reject(notConfigured());
  }
}
