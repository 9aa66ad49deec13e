import { ApiErrorCode } from '../../platform/errors/api-error-code';
import { apiError } from '../../platform/errors/api.exception';
import { AccessRole } from '../../identity/users/user.entity';
import { SessionMethod } from '../session.entity';
import { BEARER_REASON_CODES } from '../policy/session-reason-codes';
import type { SessionSnapshot } from '../session-snapshot';

/** Which kind of bearer token a route takes; each has an audience of its own. */
export type TokenAudience = 'access' | 'workspace';

/** What `@Authenticated()` declares for a route, as the guard applies it. */
export interface AccessRule {
  audience: TokenAudience;
  /** The role the caller must hold (403 FORBIDDEN otherwise). */
  role: AccessRole | null;
  /** A path parameter that must be the caller's own organization id (404 NOT_FOUND otherwise). */
  organizationParam: string | null;
  /** Null: an impersonated session passes. Otherwise the 403 code it gets. */
  impersonationRefusedWith: ApiErrorCode | null;
  /** A request without an Authorization header reaches the handler, which accepts another credential or refuses. */
  bearerOptional: boolean;
}

export interface AuthenticatedOptions {
  audience?: TokenAudience;
  role?: AccessRole;
  /** Name of the path parameter holding an organization id, e.g. `'orgId'`. */
  organization?: string;
  /**
   * Whether a session opened by impersonation may pass. Default: refused on ADMIN routes
   * (an admin acting as someone never holds power in their name), allowed elsewhere.
   */
  impersonation?: 'allow' | 'refuse';
  /**
   * The code a refused impersonated session gets: IMPERSONATION_RESTRICTED unless a route
   * documented another before that code existed (FORBIDDEN, IMPERSONATION_NESTED).
   */
  impersonationCode?: ApiErrorCode;
  /**
   * The route also takes another credential (logout: the refresh cookie). Without an
   * Authorization header the guard lets the request through unauthenticated; the handler
   * must then find that credential or refuse (401 TOKEN_INVALID, as the guard would).
   */
  bearer?: 'required' | 'optional';
}

export const DEFAULT_RULE: AccessRule = { audience: 'access', role: null, organizationParam: null, impersonationRefusedWith: null, bearerOptional: false };

export function toAccessRule(options: AuthenticatedOptions): AccessRule {
  const refuse = options.impersonation ? options.impersonation === 'refuse' : options.role === AccessRole.ADMIN;
  return {
    audience: options.audience ?? 'access',
    role: options.role ?? null,
    organizationParam: options.organization ?? null,
    impersonationRefusedWith: refuse ? (options.impersonationCode ?? ApiErrorCode.IMPERSONATION_RESTRICTED) : null,
    bearerOptional: options.bearer === 'optional',
  };
}

export const isImpersonated = (session: SessionSnapshot): boolean =>
  session.method === SessionMethod.Impersonation || session.impersonator !== null;

/**
 * The authorization half of the guard, once the session is known to be live. In this
 * order: an impersonated session learns why it is refused before being told its role is
 * wrong; only a caller who may use the route at all learns whether the organization exists.
 */
export function assertAccess(rule: AccessRule, session: SessionSnapshot, params: Record<string, string | undefined>): void {
  if (rule.impersonationRefusedWith && isImpersonated(session)) {
    throw apiError(rule.impersonationRefusedWith, 'Not allowed in an impersonated session: sign in as yourself.');
  }
  if (rule.role && session.user.accessRole !== rule.role) throw apiError(ApiErrorCode.FORBIDDEN, `Only an ${rule.role} may do this.`);
  if (rule.organizationParam && params[rule.organizationParam] !== session.organizationId) {
    // Another organization answers like an unknown one, so ids of other tenants cannot be probed.
    throw apiError(ApiErrorCode.NOT_FOUND, 'Organization not found.');
  }
}

/** The codes a route with this rule can answer before its handler runs, for its documentation. */
export function codesOf(rule: AccessRule): ApiErrorCode[] {
  const codes = [...BEARER_REASON_CODES];
  if (rule.impersonationRefusedWith) codes.push(rule.impersonationRefusedWith);
  if (rule.role) codes.push(ApiErrorCode.FORBIDDEN);
  if (rule.organizationParam) codes.push(ApiErrorCode.NOT_FOUND);
  return [...new Set(codes)];
}
