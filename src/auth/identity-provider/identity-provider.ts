/** What the identity provider says about a user it authenticated. */
export interface IdentityProviderUser {
  id: string;
  email: string;
  emailVerified: boolean;
  firstName: string | null;
  lastName: string | null;
}

export interface IdentityProviderAuthentication {
  user: IdentityProviderUser;
  /** The provider's organization id, when it reports one (SSO). */
  organizationId: string | null;
}

export interface PasswordAuthenticationRequest {
  email: string;
  password: string;
  ipAddress?: string;
  userAgent?: string;
}

export interface CodeAuthenticationRequest {
  code: string;
  ipAddress?: string;
  userAgent?: string;
}

export interface AuthorizationUrlRequest {
  providerOrganizationId: string;
  redirectUri: string;
  state: string;
  loginHint?: string;
}

export interface ImportUserRequest {
  email: string;
  passwordHash: string;
  firstName: string;
  lastName: string;
  externalId: string;
}

/**
 * The port in front of the external identity provider (WorkOS). Every method
 * either answers or throws an `ApiException` with the contract's code
 * (INVALID_CREDENTIALS, IDENTITY_PROVIDER_UNAVAILABLE, MFA_REQUIRED, …),
 * so callers never see a vendor SDK's error types.
 */
export abstract class IdentityProvider {
  /** False when no credentials are configured: every call then answers 503. */
  abstract readonly configured: boolean;
  abstract authenticateWithPassword(req: PasswordAuthenticationRequest): Promise<IdentityProviderAuthentication>;
  abstract authenticateWithCode(req: CodeAuthenticationRequest): Promise<IdentityProviderAuthentication>;
  abstract getAuthorizationUrl(req: AuthorizationUrlRequest): string;
  /** Imports a user with its bcrypt hash; returns the provider's user id. */
  abstract importUser(req: ImportUserRequest): Promise<string>;
}
