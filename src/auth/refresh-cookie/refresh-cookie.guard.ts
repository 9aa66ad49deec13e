import { CanActivate, createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { RefreshCookie } from './refresh-cookie';

const COOKIE_TOKEN = Symbol('refreshCookieToken');
type CookieRequest = FastifyRequest & { [COOKIE_TOKEN]?: string };

/**
 * Refresh and logout: when the request names no token itself (no `refreshToken` in the
 * body, no Authorization header), the refresh cookie's token is taken, and only from a
 * JSON request (RefreshCookie.tokenOf). A guard, so the refusal comes before the body is validated.
 */
@Injectable()
export class RefreshCookieGuard implements CanActivate {
  constructor(private readonly cookie: RefreshCookie) {}

  canActivate(context: ExecutionContext): boolean {
    if (!this.cookie.enabled) return true;
    const request = context.switchToHttp().getRequest<CookieRequest>();
    const body = request.body as { refreshToken?: unknown } | null | undefined;
    const namesToken = (typeof body === 'object' && body !== null && body.refreshToken !== undefined) || request.headers.authorization !== undefined;
    if (!namesToken) request[COOKIE_TOKEN] = this.cookie.tokenOf(request);
    return true;
  }
}

/** The token RefreshCookieGuard took from the cookie, or undefined. */
export const RefreshCookieToken = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): string | undefined => ctx.switchToHttp().getRequest<CookieRequest>()[COOKIE_TOKEN],
);
