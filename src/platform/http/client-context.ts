import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/** Who is calling, for the audit trail, throttling and the identity provider. */
export interface ClientContext {
  /** From the socket, or from X-Forwarded-For when TRUST_PROXY names the proxy. */
  ip: string;
  userAgent: string | null;
  /** The request id (X-Request-Id), for the log lines the request causes. */
  requestId: string;
}

export const clientContextOf = (request: FastifyRequest): ClientContext => {
  const ua = request.headers['user-agent'];
  return { ip: request.ip, userAgent: typeof ua === 'string' ? ua.slice(0, 512) : null, requestId: request.id };
};

export const Client = createParamDecorator((_: unknown, ctx: ExecutionContext): ClientContext =>
  clientContextOf(ctx.switchToHttp().getRequest<FastifyRequest>()),
);
