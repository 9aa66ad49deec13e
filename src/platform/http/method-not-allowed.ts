import type { FastifyInstance } from 'fastify';
import { ApiErrorCode } from '../errors/api-error-code';
import { ApiException } from '../errors/api.exception';

/** `/api/organizations/:orgId/users` as a pattern for concrete paths. */
const patternOf = (url: string): RegExp =>
  new RegExp(`^${url.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/:[^/]+/g, '[^/]+')}/?$`);

/**
 * A path that exists with another method answers 405 METHOD_NOT_ALLOWED with `Allow`
 * (RFC 9110 §15.5.6), not 404: the router only knows "no route". Every route is noted as
 * it is registered (so call this before any route is); the refusal goes through the global
 * filter like any error, in the shape of its path (the envelope under /api/workspace).
 */
export function answerMethodNotAllowed(fastify: FastifyInstance): void {
  const routes: { method: string; pattern: RegExp }[] = [];
  fastify.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      // HEAD follows GET; OPTIONS is CORS preflight on every path.
      if (method !== 'HEAD' && method !== 'OPTIONS') routes.push({ method, pattern: patternOf(route.url) });
    }
  });
  fastify.addHook('onRequest', (request, _reply, done) => {
    if (request.routeOptions.url !== undefined) return done();
    const path = request.url.split('?')[0];
    const allowed = [...new Set(routes.filter((r) => r.pattern.test(path)).map((r) => r.method))];
    if (allowed.length === 0 || allowed.includes(request.method)) return done();
    const allow = allowed.join(', ');
    done(new ApiException(ApiErrorCode.METHOD_NOT_ALLOWED, `${request.method} is not allowed here; use ${allow}.`, undefined, { allow }));
  });
}
