import type { Logger } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { requestFields } from './logger-options';

/** An error no rule expected (it became a 500 or 503): its stack, under the request that met it. */
export function logUnexpected(logger: Logger, err: unknown, request: FastifyRequest | undefined): void {
  logger.error({ req: request ? requestFields(request) : undefined, err: err instanceof Error ? err : new Error(String(err)) });
}
