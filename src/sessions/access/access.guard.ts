import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
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
    const principal = await this.bearer.authenticate(bearerTokenOf(request.headers), rule.audience);
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
