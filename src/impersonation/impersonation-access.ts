import { SessionMethod } from '../sessions/session.entity';
import type { SessionSnapshot } from '../sessions/session-snapshot';
import { ApiErrorCode } from '../platform/errors/api-error-code';
import { apiError } from '../platform/errors/api.exception';
import { AccessRole } from '../identity/users/user.entity';

const isImpersonated = (session: SessionSnapshot): boolean =>
  session.method === SessionMethod.Impersonation || session.impersonator !== null;

/**
 * Issuing: an impersonated session is refused as nested first, whatever the
 * target's role, so the admin behind it learns why rather than a bare 403.
 */
export function assertMayImpersonate(session: SessionSnapshot): void {
  if (isImpersonated(session)) {
    throw apiError(ApiErrorCode.IMPERSONATION_NESTED, 'An impersonated session cannot start another impersonation.');
  }
  if (session.user.accessRole !== AccessRole.ADMIN) throw apiError(ApiErrorCode.FORBIDDEN, 'Only an ADMIN may impersonate.');
}

/** Reading the trail and ending sessions: an ADMIN's own session only, never an impersonated one. */
export function assertAdminOwnSession(session: SessionSnapshot): void {
  if (isImpersonated(session) || session.user.accessRole !== AccessRole.ADMIN) {
    throw apiError(ApiErrorCode.FORBIDDEN, 'Only an ADMIN may do this.');
  }
}
