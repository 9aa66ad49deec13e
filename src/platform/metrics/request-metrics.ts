import type { FastifyInstance } from 'fastify';
import { MetricsService } from './metrics.service';

/**
 * Every answered request into `authgate_http_request_duration_seconds`, labelled by
 * the route's pattern (`/api/auth/sessions/:sessionId`, never the raw URL, so the series
 * stay bounded) and status. Requests no route matched share the label "unmatched".
 */
export function recordRequests(fastify: FastifyInstance, metrics: MetricsService): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.httpRequest(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
}
