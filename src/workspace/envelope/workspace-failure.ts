import { ApiErrorCode } from '../../platform/errors/api-error-code';
import { ApiException } from '../../platform/errors/api.exception';
import { toApiException } from '../../platform/errors/to-api-exception';
import { errorMessage, MessageType, WorkspaceEnvelope, WorkspaceMessage } from './workspace-message';

/** A request the workspace API refuses before any rule runs (field by field). */
export class WorkspaceValidationException extends Error {
  constructor(readonly issues: WorkspaceMessage[]) {
    super(issues.map((i) => `${i.Field ?? '?'}: ${i.Code}`).join('; '));
    this.name = 'WorkspaceValidationException';
  }
}

/** An `ApiException` that also says which thing it is about, for the envelope's `Target` and `Metadata`. */
export class WorkspaceApiException extends ApiException {
  constructor(
    code: ApiErrorCode,
    message: string,
    readonly details: { Target?: string; Metadata?: Record<string, string> },
  ) {
    super(code, message);
  }
}

export interface WorkspaceFailure {
  status: number;
  headers: Record<string, string>;
  body: WorkspaceEnvelope<null>;
  /** True for errors nobody meant a client to see: logged with their stack, answered generically. */
  unexpected: boolean;
}

/** Errors about the request as a whole: the `Field` names what was wrong with it. */
const REQUEST_LEVEL: Partial<Record<ApiErrorCode, { Code: string; Field: string }>> = {
  [ApiErrorCode.MALFORMED_JSON]: { Code: 'InvalidJson', Field: 'Body' },
  [ApiErrorCode.UNSUPPORTED_MEDIA_TYPE]: { Code: 'InvalidContentType', Field: 'Content-Type' },
  [ApiErrorCode.PAYLOAD_TOO_LARGE]: { Code: 'PayloadTooLarge', Field: 'Body' },
};

/** The workspace API's own wording where the `/api/auth` message would name the wrong identifier. */
const MESSAGES: Partial<Record<ApiErrorCode, string>> = {
  [ApiErrorCode.INVALID_CREDENTIALS]: 'Invalid user name, email or password.',
  [ApiErrorCode.NOT_FOUND]: 'No such endpoint.',
};

/**
 * The seed documents 400 as its one refusal status: login refusals that `/api/auth`
 * answers with 401/403 are 400 here (bearer failures stay 401, throttling 429).
 */
const STATUS_OVERRIDES: Partial<Record<ApiErrorCode, number>> = {
  [ApiErrorCode.INVALID_CREDENTIALS]: 400,
  [ApiErrorCode.EMAIL_VERIFICATION_REQUIRED]: 400,
  [ApiErrorCode.MFA_REQUIRED]: 400,
  [ApiErrorCode.SSO_REQUIRED]: 400,
  [ApiErrorCode.USER_NOT_PROVISIONED]: 400,
  [ApiErrorCode.UNSUPPORTED_MEDIA_TYPE]: 400,
};

const VALIDATION_CODES = new Set<ApiErrorCode>([
  ApiErrorCode.VALIDATION_FAILED,
  ApiErrorCode.MALFORMED_JSON,
  ApiErrorCode.UNSUPPORTED_MEDIA_TYPE,
  ApiErrorCode.PAYLOAD_TOO_LARGE,
]);

/** `INVALID_CREDENTIALS` → `InvalidCredentials`: one code list, two spellings. */
export const pascalCaseCode = (code: string): string =>
  code
    .toLowerCase()
    .split('_')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

/**
 * The seed's `Type`: validation for request shape problems, system for anything
 * the client cannot fix (5xx), business rule for the rest. Derived rather than
 * listed per code so a code added for `/api/auth` lands in the right class here too.
 */
export function messageTypeOf(code: ApiErrorCode, status: number): MessageType {
  if (status >= 500) return MessageType.System;
  return VALIDATION_CODES.has(code) ? MessageType.Validation : MessageType.BusinessRule;
}

const envelope = (errors: WorkspaceMessage[]): WorkspaceEnvelope<null> => ({ Data: null, Errors: errors, Warnings: [], Success: false });

/** Any thrown value as the envelope the client gets: status, headers (Retry-After) and body. Never a stack trace. */
export function toWorkspaceFailure(err: unknown): WorkspaceFailure {
  if (err instanceof WorkspaceValidationException) {
    return { status: 400, headers: {}, body: envelope(err.issues), unexpected: false };
  }
  const { exception, unexpected } = toApiException(err);
  const status = STATUS_OVERRIDES[exception.code] ?? exception.status;
  const type = messageTypeOf(exception.code, status);
  const message = MESSAGES[exception.code] ?? exception.message;
  let errors: WorkspaceMessage[];
  const requestLevel = REQUEST_LEVEL[exception.code];
  if (requestLevel) {
    errors = [errorMessage(requestLevel.Code, message, type, { Field: requestLevel.Field })];
  } else if (exception.fieldErrors && exception.fieldErrors.length > 0) {
    errors = exception.fieldErrors.map((f) => errorMessage('Invalid', f.message, type, { Field: f.field }));
  } else {
    const details = exception instanceof WorkspaceApiException ? exception.details : {};
    errors = [errorMessage(pascalCaseCode(exception.code), message, type, details)];
  }
  return { status, headers: { ...exception.headers }, body: envelope(errors), unexpected };
}
