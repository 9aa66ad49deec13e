import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiForbiddenResponse, getSchemaPath } from '@nestjs/swagger';
import { ApiErrorCode } from '../../platform/errors/api-error-code';
import { MfaRequiredErrorDto } from '../../mfa/dto/mfa.dto';
import { EmailVerificationRequiredErrorDto } from './second-step.controller';
import { PENDING_LOGIN_MESSAGES } from './pending-login.error';

const EXPIRES_AT = '2026-11-02T10:05:00.000Z';
const example = (code: ApiErrorCode, extra: object) => ({ summary: code, value: { statusCode: 403, code, message: PENDING_LOGIN_MESSAGES[code], ...extra } });
const mfa = { token: 'mfa_q2Vt0Jb8bVbq2cV0Y0F6Xr8Xh2o1xQ4uZk7H1m3T9aE', factors: ['totp'], expiresAt: EXPIRES_AT };

/**
 * The 403 of a correct password that still needs a step (docs/mfa.md): no session yet, and
 * the step's token in `mfa` or `verification`, for POST /api/auth/login/mfa or
 * /api/auth/login/email-verification.
 */
export const ApiPendingLogin = () =>
  applyDecorators(
    ApiExtraModels(MfaRequiredErrorDto, EmailVerificationRequiredErrorDto),
    ApiForbiddenResponse({
      description:
        'MFA_REQUIRED (a second factor: finish at /api/auth/login/mfa), MFA_ENROLLMENT_REQUIRED (the policy requires one: ' +
        '/api/auth/login/mfa/enroll first), EMAIL_VERIFICATION_REQUIRED (a migrated user whose email WorkOS wants verified: ' +
        '/api/auth/login/email-verification). The password was right; no session is opened yet.',
      schema: { oneOf: [{ $ref: getSchemaPath(MfaRequiredErrorDto) }, { $ref: getSchemaPath(EmailVerificationRequiredErrorDto) }] },
      examples: {
        [ApiErrorCode.MFA_REQUIRED]: example(ApiErrorCode.MFA_REQUIRED, { mfa }),
        [ApiErrorCode.MFA_ENROLLMENT_REQUIRED]: example(ApiErrorCode.MFA_ENROLLMENT_REQUIRED, { mfa }),
        [ApiErrorCode.EMAIL_VERIFICATION_REQUIRED]: example(ApiErrorCode.EMAIL_VERIFICATION_REQUIRED, {
          verification: { token: 'mfa_Jt6yq0Xh1kC4mZs8Vb2Lr7Wd9Ne3Pa5Qf0Uo6Ig1Hx4', expiresAt: EXPIRES_AT },
        }),
      },
    }),
  );
