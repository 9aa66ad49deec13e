/** What the identity provider says about a user it authenticated. */
export interface IdentityProviderUser {
  id: string;
  email: string;
  emailVerified: boolean;
  firstName: string | null;
  lastName: string | null;
}

/** A user record as the provider stores it, with the id we gave it (`externalId`: our user id). */
export interface ProviderUserRecord extends IdentityProviderUser {
  externalId: string | null;
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

/** The second step WorkOS asked for (`mfa_challenge`): its pending authentication plus the code of the challenged factor. */
export interface TotpAuthenticationRequest {
  pendingAuthenticationToken: string;
  authenticationChallengeId: string;
  code: string;
  ipAddress?: string;
  userAgent?: string;
}

/** `email_verification_required`: the pending authentication plus the code WorkOS emailed. */
export interface EmailVerificationRequest {
  pendingAuthenticationToken: string;
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
  /** Our user id, stored by the provider as `external_id`: how a rerun recognises its own imports. */
  externalId: string;
}

export interface PasswordHashUpdate {
  passwordHash: string;
  /** Set only when the provider's record has none yet. */
  externalId?: string;
}

/**
 * The port in front of the external identity provider (WorkOS). Every method
 * either answers or throws an `ApiException` with the API's own code
 * (INVALID_CREDENTIALS, IDENTITY_PROVIDER_UNAVAILABLE, MFA_REQUIRED, …),
 * so callers never see a vendor SDK's error types. Unavailability is an
 * `IdentityProviderUnavailable`, which says why and how long to wait.
 */
export abstract class IdentityProvider {
  /** False when no credentials are configured: every call then answers 503. */
  abstract readonly configured: boolean;
  abstract authenticateWithPassword(req: PasswordAuthenticationRequest): Promise<IdentityProviderAuthentication>;
  abstract authenticateWithCode(req: CodeAuthenticationRequest): Promise<IdentityProviderAuthentication>;
  abstract getAuthorizationUrl(req: AuthorizationUrlRequest): string;

  // The steps WorkOS may ask for after a correct password (src/auth/second-step/).
  // A refused code is MFA_CODE_INVALID; a pending authentication WorkOS no longer knows, MFA_TOKEN_INVALID.

  /** Challenges a WorkOS authentication factor; the challenge id goes with the code to `authenticateWithTotp`. */
  abstract challengeFactor(factorId: string): Promise<{ challengeId: string }>;
  abstract authenticateWithTotp(req: TotpAuthenticationRequest): Promise<IdentityProviderAuthentication>;
  abstract authenticateWithEmailVerification(req: EmailVerificationRequest): Promise<IdentityProviderAuthentication>;

  // The migration's side: importing users and checking what the provider holds.

  /** Imports a user with its bcrypt hash. Throws `EmailNotAvailable` when the provider already has the email. */
  abstract importUser(req: ImportUserRequest): Promise<ProviderUserRecord>;
  /** The provider's user, or null when it has none with this id. */
  abstract getUser(id: string): Promise<ProviderUserRecord | null>;
  abstract findUsersByEmail(email: string): Promise<ProviderUserRecord[]>;
  /** Replaces the provider's password hash for a user; null when the provider has no such user. */
  abstract setPasswordHash(id: string, update: PasswordHashUpdate): Promise<ProviderUserRecord | null>;
}
