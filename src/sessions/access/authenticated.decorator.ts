import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { ApiErrors } from '../../platform/http/api-errors.decorator';
import { AuthenticatedOptions, codesOf, toAccessRule } from './access-rule';

export const ACCESS_RULE = 'authgate:accessRule';

/**
 * Who may call a route, declared once beside it: the token audience, the role, the
 * organization in the path that must be the caller's own, and whether an impersonated
 * session may pass; and documents the codes those checks answer. The one global guard (AccessGuard) applies it; a route without
 * it still needs a live access-token session (deny by default), and only `@Public()`
 * opens a route.
 *
 *   @Authenticated({ role: AccessRole.ADMIN, organization: 'orgId' })
 */
export function Authenticated(options: AuthenticatedOptions = {}) {
  const rule = toAccessRule(options);
  // The workspace routes answer their own envelope (documented by the workspace controller), not ApiErrorDto.
  const docs = rule.audience === 'access' ? [ApiErrors(...codesOf(rule))] : [];
  return applyDecorators(SetMetadata(ACCESS_RULE, rule), ApiBearerAuth(), ...docs);
}
