import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { logUnexpected } from '../../platform/logging/unexpected-error';
import { toWorkspaceFailure } from './workspace-failure';

/**
 * Every failure under `/api/workspace` as the seed's envelope: thrown by a
 * handler, a guard or a pipe (via `@UseFilters` on the controllers), or raised
 * by Fastify before routing — body parsing, unknown routes (via the global
 * filter's path delegation, see app.factory.ts).
 */
@Catch()
export class WorkspaceEnvelopeFilter implements ExceptionFilter {
  private readonly logger = new Logger('WorkspaceErrors');

  catch(err: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const failure = toWorkspaceFailure(err);
    if (failure.unexpected) logUnexpected(this.logger, err, host.switchToHttp().getRequest<FastifyRequest | undefined>());
    void reply.headers(failure.headers);
    void reply.status(failure.status).send(failure.body);
  }
}
