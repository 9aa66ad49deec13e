export type FallbackBehavior = 'redirect' | 'logout';
export const FALLBACK_BEHAVIORS: readonly FallbackBehavior[] = ['redirect', 'logout'];

/** The nine fields of the seed's `sessionConfig`. */
export interface SessionPolicy {
  enabled: boolean;
  idleTimeoutMinutes: number;
  tokenExpiryHours: number;
  warningTimeMinutes: number;
  idleTrackingEnabled: boolean;
  ssoSilentRenewalEnabled: boolean;
  ssoFallbackBehavior: FallbackBehavior;
  passwordSilentRenewalEnabled: boolean;
  passwordFallbackBehavior: FallbackBehavior;
}

/** What an organization row holds: only what an admin (or a fixture) set. */
export type StoredSessionPolicy = Partial<SessionPolicy>;

/** The defaults of a policy field nobody set (docs/session-policy.md, "The fields and their defaults"). */
export const DEFAULT_SESSION_POLICY: Readonly<SessionPolicy> = Object.freeze({
  enabled: false,
  idleTimeoutMinutes: 30,
  tokenExpiryHours: 8,
  warningTimeMinutes: 2,
  idleTrackingEnabled: true,
  ssoSilentRenewalEnabled: true,
  ssoFallbackBehavior: 'redirect',
  passwordSilentRenewalEnabled: false,
  passwordFallbackBehavior: 'logout',
});

export const SESSION_POLICY_FIELDS = Object.keys(DEFAULT_SESSION_POLICY) as (keyof SessionPolicy)[];

/** Stored fields over the defaults, in the seed's field order. Unknown stored keys are ignored. */
export function resolveSessionPolicy(stored: StoredSessionPolicy | null | undefined): SessionPolicy {
  const resolved = { ...DEFAULT_SESSION_POLICY };
  for (const field of SESSION_POLICY_FIELDS) {
    const value = stored?.[field];
    if (value !== undefined && value !== null) (resolved as Record<string, unknown>)[field] = value;
  }
  return resolved;
}
