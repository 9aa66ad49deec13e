import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { AuthenticatedOptions, toAccessRule } from './access-rule';

export const ACCESS_RULE = 'authgate:accessRule';

/**
 * Who may call a route, declared once beside it: the token audience, the role, the
 * organization in the path that must be the caller's own, and whether an impersonated
 * session may pass. The one global guard (AccessGuard) applies it; a route without
 * it still needs a live access-token session (deny by default), and only `@Public()`
 * opens a route.
 *
 *   @Authenticated({ role: AccessRole.ADMIN, organization: 'orgId' })
 */
export const Authenticated = (options: AuthenticatedOptions = {}) =>
  applyDecorators(SetMetadata(ACCESS_RULE, toAccessRule(options)), ApiBearerAuth());
