import type { SessionSnapshot } from '../sessions/session-snapshot';

/**
 * The identity headers of GET /api/auth/verify, for a gateway to pass upstream
 * (deploy/nginx/authgate-gateway.conf). The role is the user's as it is now, not
 * as the token says: a demotion shows at once.
 */
export function identityHeadersOf(session: SessionSnapshot): Record<string, string> {
  const headers: Record<string, string> = {
    'x-auth-user-id': session.userId,
    'x-auth-organization-id': session.organizationId,
    'x-auth-role': session.user.accessRole,
    'x-auth-session-id': session.sessionId,
  };
  if (session.impersonator) headers['x-auth-impersonator-id'] = session.impersonator.id;
  return headers;
}
