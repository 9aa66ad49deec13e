import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiException } from '../../platform/errors/api.exception';
import { INVALID_TOKEN_CHALLENGE, markBearerRoute } from '../../platform/http/bearer-challenge';
import { IS_PUBLIC } from '../../platform/http/public.decorator';
import type { BearerPrincipal } from '../current-session.decorator';
import { AccessRule, assertAccess, DEFAULT_RULE } from './access-rule';
import { ACCESS_RULE } from './authenticated.decorator';
import { BearerAuthenticator } from './bearer-authenticator.service';
import { bearerTokenOf } from './bearer-token';

type GuardedRequest = FastifyRequest & { user?: BearerPrincipal };

/**
 * The one guard, global: every route needs a live bearer session unless marked
 * `@Public()`, and passes the rule its `@Authenticated()` declares (or the default:
 * an access token, any role, impersonation allowed).
 */
@Injectable()
export class AccessGuard implements CanActivate {
  /** Per handler: its metadata is fixed once the routes are built, and reading it costs on every request. */
  private readonly rules = new WeakMap<object, AccessRule | null>();

  constructor(
    private readonly reflector: Reflector,
    private readonly bearer: BearerAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.ruleOf(context);
    if (rule === null) return true;
    const request = context.switchToHttp().getRequest<GuardedRequest>();
    markBearerRoute(request);
    // The handler takes another credential then, or refuses itself (`@Authenticated({ bearer: 'optional' })`).
    if (rule.bearerOptional && request.headers.authorization === undefined) return true;
    const token = bearerTokenOf(request.headers);
    let principal: BearerPrincipal;
    try {
      principal = await this.bearer.authenticate(token, rule.audience);
    } catch (err) {
      // A refused token: the RFC 6750 challenge, and the code in X-Auth-Error for gateways (GET /api/auth/verify).
      // Set on the reply, so both error shapes (the API's and the workspace envelope) carry them.
      if (err instanceof ApiException && err.status === 401) {
        const reply = context.switchToHttp().getResponse<FastifyReply>();
        if (token !== null) void reply.header('www-authenticate', INVALID_TOKEN_CHALLENGE);
        void reply.header('x-auth-error', err.code);
      }
      throw err;
    }
    assertAccess(rule, principal.session, (request.params ?? {}) as Record<string, string | undefined>);
    request.user = principal;
    return true;
  }

  /** Null for a public route. */
  private ruleOf(context: ExecutionContext): AccessRule | null {
    const handler = context.getHandler();
    let rule = this.rules.get(handler);
    if (rule === undefined) {
      const targets = [handler, context.getClass()];
      const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) === true;
      rule = isPublic ? null : (this.reflector.getAllAndOverride<AccessRule>(ACCESS_RULE, targets) ?? DEFAULT_RULE);
      this.rules.set(handler, rule);
    }
    return rule;
  }
}
