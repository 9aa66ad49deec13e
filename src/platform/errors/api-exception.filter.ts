import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { logUnexpected } from '../logging/unexpected-error';
import { toApiException } from './to-api-exception';

export interface ApiErrorBody {
  statusCode: number;
  code: string;
  message: string;
  errors?: { field: string; message: string; reason?: string }[];
}

/** An API under `pathPrefix` that answers errors in a shape of its own. */
export interface ErrorShapeDelegate {
  pathPrefix: string;
  filter: ExceptionFilter;
}

const isUnder = (url: string, prefix: string): boolean =>
  url === prefix || url.startsWith(`${prefix}/`) || url.startsWith(`${prefix}?`);

/**
 * The `/api/auth` error shape, for every error anywhere, except under the paths
 * of a delegate (the workspace envelope). Errors raised before routing (body
 * parsing, unknown routes) reach only global filters; the delegation sends them
 * to the right shape too.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(private readonly delegates: readonly ErrorShapeDelegate[] = []) {}

  catch(err: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest | undefined>();
    const url = request?.url ?? '';
    const delegate = this.delegates.find((d) => isUnder(url, d.pathPrefix));
    if (delegate) return delegate.filter.catch(err, host) as void;
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { exception, unexpected } = toApiException(err);
    if (unexpected) logUnexpected(this.logger, err, request);
    const body: ApiErrorBody = { statusCode: exception.status, code: exception.code, message: exception.message };
    if (exception.fieldErrors) body.errors = exception.fieldErrors;
    if (exception.extra) Object.assign(body, exception.extra);
    if (exception.headers) void reply.headers(exception.headers);
    void reply.status(exception.status).send(body);
  }
}
