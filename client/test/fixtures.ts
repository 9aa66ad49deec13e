import type { SessionConfig } from '../src/types';

/** The seed's example policy: enforced, 30-minute idle, password sessions may not renew silently. */
export const POLICY: SessionConfig = {
  enabled: true,
  idleTimeoutMinutes: 30,
  tokenExpiryHours: 8,
  warningTimeMinutes: 2,
  idleTrackingEnabled: true,
  ssoSilentRenewalEnabled: true,
  ssoFallbackBehavior: 'redirect',
  passwordSilentRenewalEnabled: false,
  passwordFallbackBehavior: 'logout',
};
