import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { SessionSnapshot } from './session-snapshot';

/** What the access guard establishes for a bearer request: the live session, and the token's own expiry. */
export interface BearerPrincipal {
  session: SessionSnapshot;
  accessTokenExpiresAtMs: number;
  /** A workspace token's `wsp` claim; null for an access token. */
  workspaceSlug: string | null;
}

const principalOf = (ctx: ExecutionContext): BearerPrincipal => ctx.switchToHttp().getRequest<{ user: BearerPrincipal }>().user;

/** The live session behind the bearer token (set by the access guard). */
export const CurrentSession = createParamDecorator((_: unknown, ctx: ExecutionContext): SessionSnapshot => principalOf(ctx).session);

/** When the bearer token of this request expires (ms): its `exp`, not a fresh token's. */
export const AccessTokenExpiry = createParamDecorator((_: unknown, ctx: ExecutionContext): number => principalOf(ctx).accessTokenExpiresAtMs);

/** The bearer session, or null on a route whose bearer token is optional (`@Authenticated({ bearer: 'optional' })`) when none was sent. */
export const CurrentSessionIfAny = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): SessionSnapshot | null => ctx.switchToHttp().getRequest<{ user?: BearerPrincipal }>().user?.session ?? null,
);
