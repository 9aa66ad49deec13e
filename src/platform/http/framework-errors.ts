import type { ExceptionFilter } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiErrorCode } from '../errors/api-error-code';
import { apiError, ApiException } from '../errors/api.exception';

/** What the router refuses before any hook, guard or filter runs, as the error it stands for (never echoing the path). */
function asApiException(error: { code?: unknown }): ApiException {
  switch (error.code) {
    // A parameter longer than maxParamLength names nothing that can exist.
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return apiError(ApiErrorCode.NOT_FOUND, 'No such endpoint.');
    case 'FST_ERR_BAD_URL':
      return apiError(ApiErrorCode.VALIDATION_FAILED, 'The request path is not valid percent-encoded UTF-8.');
    default:
      return apiError(ApiErrorCode.VALIDATION_FAILED, 'The request could not be routed.');
  }
}

/**
 * Fastify's `frameworkErrors`: the router answers a malformed percent-escape or an
 * over-long path parameter before any hook runs, in its own shape, the path echoed
 * back and none of our headers. Here they get `answerHeaders` (security headers,
 * request id, no-store) and go through the same global filter as every other error,
 * so each path answers in its own shape (the envelope under /api/workspace).
 */
export function frameworkErrorHandler(
  filter: ExceptionFilter,
  answerHeaders: (request: FastifyRequest, reply: FastifyReply) => void,
): (error: Error, request: FastifyRequest, reply: FastifyReply) => void {
  return (error, request, reply) => {
    answerHeaders(request, reply);
    filter.catch(asApiException(error as { code?: unknown }), new ExecutionContextHost([request, reply]));
  };
}
