import { IdentityProvider, IdentityProviderAuthentication, ProviderUserRecord } from './identity-provider';
import { IdentityProviderUnavailable } from './identity-provider.errors';

const notConfigured = () => new IdentityProviderUnavailable('not_configured');

/** Used when WORKOS_API_KEY / WORKOS_CLIENT_ID are unset: migrated users get 503 IDENTITY_PROVIDER_UNAVAILABLE (README's configuration table), never a local check. */
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
  challengeFactor(): Promise<{ challengeId: string }> {
    return Promise.reject(notConfigured());
  }
  authenticateWithTotp(): Promise<IdentityProviderAuthentication> {
    return Promise.reject(notConfigured());
  }
  authenticateWithEmailVerification(): Promise<IdentityProviderAuthentication> {
    return Promise.reject(notConfigured());
  }
  importUser(): Promise<ProviderUserRecord> {
    return Promise.reject(notConfigured());
  }
  getUser(): Promise<ProviderUserRecord | null> {
    return Promise.reject(notConfigured());
  }
  findUsersByEmail(): Promise<ProviderUserRecord[]> {
    return Promise.reject(notConfigured());
  }
  setPasswordHash(): Promise<ProviderUserRecord | null> {
    return Promise.reject(notConfigured());
  }
}
