import { HttpException } from '@nestjs/common';
import { ApiErrorCode } from './api-error-code';
import { ApiException, apiError } from './api.exception';
import { isDatabaseUnavailable } from './database-unavailable';

const FASTIFY_CODES: Record<string, ApiErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: ApiErrorCode.PAYLOAD_TOO_LARGE,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ApiErrorCode.UNSUPPORTED_MEDIA_TYPE,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ApiErrorCode.MALFORMED_JSON,
  FST_ERR_CTP_EMPTY_JSON_BODY: ApiErrorCode.MALFORMED_JSON,
  FST_ERR_CTP_INVALID_JSON_BODY: ApiErrorCode.MALFORMED_JSON,
};

const FASTIFY_MESSAGES: Partial<Record<ApiErrorCode, string>> = {
  [ApiErrorCode.PAYLOAD_TOO_LARGE]: 'The request body is larger than 16 KiB.',
  [ApiErrorCode.UNSUPPORTED_MEDIA_TYPE]: 'Send the body as JSON with Content-Type: application/json.',
  [ApiErrorCode.MALFORMED_JSON]: 'The request body is not valid JSON.',
};

function codeForStatus(status: number): ApiErrorCode {
  switch (status) {
    case 400:
      return ApiErrorCode.VALIDATION_FAILED;
    case 401:
      return ApiErrorCode.TOKEN_INVALID;
    case 403:
      return ApiErrorCode.FORBIDDEN;
    case 404:
      return ApiErrorCode.NOT_FOUND;
    case 405:
      return ApiErrorCode.METHOD_NOT_ALLOWED;
    case 413:
      return ApiErrorCode.PAYLOAD_TOO_LARGE;
    case 415:
      return ApiErrorCode.UNSUPPORTED_MEDIA_TYPE;
    case 429:
      return ApiErrorCode.TOO_MANY_ATTEMPTS;
    case 503:
      return ApiErrorCode.SERVICE_UNAVAILABLE;
    default:
      return ApiErrorCode.INTERNAL_ERROR;
  }
}

/** Fastify's body-parse errors reach the filters wrapped in an HttpException by Nest's adapter; look inside. */
function unwrapBodyParseError(err: unknown): unknown {
  if (err instanceof HttpException && err.cause !== undefined) {
    const cause = err.cause as { code?: unknown };
    if (cause instanceof SyntaxError || (typeof cause?.code === 'string' && cause.code.startsWith('FST_ERR_CTP'))) return cause;
  }
  return err;
}

/**
 * Any thrown value as the client-facing error it stands for. Unknown errors
 * become INTERNAL_ERROR with a generic message: no stack, SQL or internals leak.
 */
export function toApiException(thrown: unknown): { exception: ApiException; unexpected: boolean } {
  const err = unwrapBodyParseError(thrown);
  if (err instanceof ApiException) return { exception: err, unexpected: false };
  const fastifyCode = (err as { code?: unknown })?.code;
  if (typeof fastifyCode === 'string' && fastifyCode in FASTIFY_CODES) {
    const code = FASTIFY_CODES[fastifyCode];
    return { exception: apiError(code, FASTIFY_MESSAGES[code]), unexpected: false };
  }
  if (typeof fastifyCode === 'string' && fastifyCode.startsWith('FST_ERR_CTP')) {
    return { exception: apiError(ApiErrorCode.MALFORMED_JSON, FASTIFY_MESSAGES[ApiErrorCode.MALFORMED_JSON]), unexpected: false };
  }
  if (err instanceof SyntaxError && (err as { statusCode?: number }).statusCode === 400) {
    return { exception: apiError(ApiErrorCode.MALFORMED_JSON, FASTIFY_MESSAGES[ApiErrorCode.MALFORMED_JSON]), unexpected: false };
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const code = codeForStatus(status);
    const message = status === 404 ? 'No such endpoint.' : status >= 500 ? undefined : err.message;
    return { exception: apiError(code, message), unexpected: status >= 500 && status !== 503 };
  }
  const statusCode = (err as { statusCode?: unknown })?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return { exception: apiError(codeForStatus(statusCode)), unexpected: false };
  }
  if (isDatabaseUnavailable(err)) {
    return { exception: apiError(ApiErrorCode.SERVICE_UNAVAILABLE), unexpected: false };
  }
  return { exception: apiError(ApiErrorCode.INTERNAL_ERROR), unexpected: true };
}
