import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { SessionSnapshot } from './session-snapshot';

/** What the JWT strategy establishes for a bearer request: the live session, and the token's own expiry. */
export interface BearerPrincipal {
  session: SessionSnapshot;
  accessTokenExpiresAtMs: number;
}

const principalOf = (ctx: ExecutionContext): BearerPrincipal => ctx.switchToHttp().getRequest<{ user: BearerPrincipal }>().user;

/** The live session behind the bearer token (set by the JWT strategy). */
export const CurrentSession = createParamDecorator((_: unknown, ctx: ExecutionContext): SessionSnapshot => principalOf(ctx).session);

/** When the bearer token of this request expires (ms): its `exp`, not a fresh token's. */
export const AccessTokenExpiry = createParamDecorator((_: unknown, ctx: ExecutionContext): number => principalOf(ctx).accessTokenExpiresAtMs);
