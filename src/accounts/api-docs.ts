import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ApiErrorCode, httpStatusOf } from '../platform/errors/api-error-code';
import { ApiErrors as ApiErrorCodes } from '../platform/http/api-errors.decorator';

/** The bearer refusals every private route can answer. */
export const BEARER_CODES = [
  ApiErrorCode.TOKEN_INVALID,
  ApiErrorCode.TOKEN_EXPIRED,
  ApiErrorCode.SESSION_REVOKED,
  ApiErrorCode.SESSION_IDLE_TIMEOUT,
  ApiErrorCode.SESSION_EXPIRED,
];

/**
 * One documented response per status, its description listing every code the route can
 * answer with it and why; the examples (one per code) come from the platform's ApiErrors.
 */
export function ApiErrors(codes: { code: ApiErrorCode; message: string }[]) {
  const byStatus = new Map<number, { code: ApiErrorCode; message: string }[]>();
  for (const entry of codes) {
    const status = httpStatusOf(entry.code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), entry]);
  }
  return applyDecorators(
    ...[...byStatus.entries()].map(([status, entries]) =>
      ApiResponse({ status, description: entries.map((e) => `${e.code}: ${e.message}`).join('\n\n') }),
    ),
    ApiErrorCodes(...codes.map((e) => e.code)),
  );
}

export const bearerErrors = BEARER_CODES.map((code) => ({ code, message: 'not signed in, or the session ended' }));
export const validationError = { code: ApiErrorCode.VALIDATION_FAILED, message: 'a field is missing, of the wrong type, or unknown (each named in `errors`)' };
export const malformedJson = { code: ApiErrorCode.MALFORMED_JSON, message: 'the body is not JSON' };
export const adminErrors = [
  { code: ApiErrorCode.FORBIDDEN, message: 'the caller is not an ADMIN' },
  { code: ApiErrorCode.IMPERSONATION_RESTRICTED, message: 'an impersonated session never passes an ADMIN check' },
  { code: ApiErrorCode.NOT_FOUND, message: 'another organization, or none with this id' },
];
