import { SessionMethod } from './session.entity';

/**
 * RFC 8176 authentication method references of a session's access tokens:
 * `pwd` for a password, `sso` for single sign-on, plus `otp` once the session has
 * proved a one-time code (the login's second step or a step-up). An impersonated
 * session names no method of the user's: it carries `act` instead.
 */
export function amrOf(method: SessionMethod, secondFactorAtMs: number | null): string[] {
  if (method === SessionMethod.Impersonation) return [];
  const first = method === SessionMethod.Sso ? 'sso' : 'pwd';
  return secondFactorAtMs === null ? [first] : [first, 'otp'];
}
