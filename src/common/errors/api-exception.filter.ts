import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { toApiException } from './to-api-exception';

export interface ApiErrorBody {
  statusCode: number;
  code: string;
  message: string;
  errors?: { field: string; message: string }[];
}

/** The `/api/auth` error shape, for every error anywhere (the workspace module overrides it with its envelope). */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(err: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { exception, unexpected } = toApiException(err);
    if (unexpected) this.logger.error(err instanceof Error ? err.stack ?? err.message : String(err));
    const body: ApiErrorBody = { statusCode: exception.status, code: exception.code, message: exception.message };
    if (exception.fieldErrors) body.errors = exception.fieldErrors;
    if (exception.headers) void reply.headers(exception.headers);
    void reply.status(exception.status).send(body);
  }
}
