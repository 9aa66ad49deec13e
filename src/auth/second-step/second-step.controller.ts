import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import {
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors } from '../../platform/http/api-errors.decorator';
import { ApiErrorCode } from '../../platform/errors/api-error-code';
import { ApiErrorDto } from '../../platform/errors/api-error.dto';
import { Client, ClientContext } from '../../platform/http/client-context';
import { validationFailed } from '../../platform/http/api-validation.pipe';
import { Public } from '../../platform/http/public.decorator';
import { EmailVerificationRequest, MfaLoginRequest, MfaTokenRequest, RECOVERY_CODES_EXAMPLE, TotpEnrollmentDto } from '../../mfa/dto/mfa.dto';
import { LoginResponseDto } from '../dto/login-response.dto';
import { SecondStep, SecondStepResult } from './second-step.service';
import type { LoginResult } from '../../sessions/session-issuer.service';
import { SETS_REFRESH_COOKIE } from '../refresh-cookie/refresh-cookie.docs';
import { HandedOut, RefreshCookie } from '../refresh-cookie/refresh-cookie';

export class MfaLoginResponseDto extends LoginResponseDto {
  @ApiPropertyOptional({
    type: [String],
    example: RECOVERY_CODES_EXAMPLE,
    description: 'Only when this step completed an enrollment the policy required: the 10 recovery codes, shown this once.',
  })
  recoveryCodes?: string[];
}

class VerificationDto {
  @ApiProperty({ description: 'Opaque, single use, lives 5 minutes, dies after 5 wrong codes.' })
  token: string;
  @ApiProperty({ format: 'date-time' })
  expiresAt: string;
}

/** Documents the `verification` object of 403 EMAIL_VERIFICATION_REQUIRED (answered by POST /api/auth/login). */
export class EmailVerificationRequiredErrorDto extends ApiErrorDto {
  @ApiProperty({ type: VerificationDto })
  verification: VerificationDto;
}

/** The second step of a password login (`/api/auth/login/*`): public, the token is the credential. */
@ApiTags('auth')
@Controller('auth/login')
export class SecondStepController {
  constructor(
    private readonly secondStep: SecondStep,
    private readonly cookie: RefreshCookie,
  ) {}

  @Public()
  @Post('mfa')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Finish a login with a second factor: a TOTP code or a recovery code.',
    description:
      'After 403 MFA_REQUIRED (or MFA_ENROLLMENT_REQUIRED and `/api/auth/login/mfa/enroll`) from POST /api/auth/login. ' +
      'Exactly one of `code` and `recoveryCode`. Answers the login response; after an enrollment it adds `recoveryCodes`. ' +
      'For a migrated user whose WorkOS account has MFA, the code goes to WorkOS (its factor is challenged, then authenticated). ' +
      'The access token carries `amr: ["pwd","otp"]`. The `mfaToken` is single use, lives 5 minutes and dies after 5 wrong codes.',
  })
  @ApiBody({
    type: MfaLoginRequest,
    examples: {
      code: { value: { mfaToken: 'mfa_q2Vt0Jb8bVbq2cV0Y0F6Xr8Xh2o1xQ4uZk7H1m3T9aE', code: '492039' } },
      recoveryCode: { value: { mfaToken: 'mfa_q2Vt0Jb8bVbq2cV0Y0F6Xr8Xh2o1xQ4uZk7H1m3T9aE', recoveryCode: '7kq2m-x9d4h' } },
    },
  })
  @ApiOkResponse({ type: MfaLoginResponseDto, headers: SETS_REFRESH_COOKIE })
  @ApiErrors(ApiErrorCode.VALIDATION_FAILED)
  @ApiErrors(ApiErrorCode.MFA_CODE_INVALID, ApiErrorCode.MFA_TOKEN_INVALID, ApiErrorCode.MFA_ENROLLMENT_NOT_STARTED, ApiErrorCode.TOO_MANY_ATTEMPTS, ApiErrorCode.IDENTITY_PROVIDER_UNAVAILABLE, ApiErrorCode.SERVICE_UNAVAILABLE)
  async complete(@Body() body: MfaLoginRequest, @Client() client: ClientContext, @Res({ passthrough: true }) reply: FastifyReply): Promise<HandedOut<SecondStepResult>> {
    if ((body.code === undefined) === (body.recoveryCode === undefined)) {
      throw validationFailed([{ field: 'code', message: 'provide exactly one of code or recoveryCode' }]);
    }
    return this.cookie.handOut(reply, await this.secondStep.complete(body, client));
  }

  @Public()
  @Post('mfa/enroll')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Enrollment during login: the pending TOTP factor for a user the MFA policy requires.',
    description: 'After 403 MFA_ENROLLMENT_REQUIRED. Then POST /api/auth/login/mfa with the first code finishes enrollment and login.',
  })
  @ApiOkResponse({ type: TotpEnrollmentDto })
  @ApiErrors(ApiErrorCode.VALIDATION_FAILED, ApiErrorCode.MFA_TOKEN_INVALID, ApiErrorCode.MFA_ALREADY_ENABLED)
  enroll(@Body() body: MfaTokenRequest): Promise<TotpEnrollmentDto> {
    return this.secondStep.startEnrollment(body.mfaToken);
  }

  @Public()
  @Post('email-verification')
  @HttpCode(200)
  @ApiOperation({
    summary: "Finish a migrated user's login with the code WorkOS emailed (after 403 EMAIL_VERIFICATION_REQUIRED).",
    description: 'The token is the `verification.token` of the 403; single use, 5 minutes, 5 wrong codes. The code is checked by WorkOS.',
  })
  @ApiOkResponse({ type: LoginResponseDto, headers: SETS_REFRESH_COOKIE })
  @ApiErrors(ApiErrorCode.VALIDATION_FAILED, ApiErrorCode.MFA_CODE_INVALID, ApiErrorCode.MFA_TOKEN_INVALID, ApiErrorCode.TOO_MANY_ATTEMPTS, ApiErrorCode.IDENTITY_PROVIDER_UNAVAILABLE, ApiErrorCode.SERVICE_UNAVAILABLE)
  async verifyEmail(@Body() body: EmailVerificationRequest, @Client() client: ClientContext, @Res({ passthrough: true }) reply: FastifyReply): Promise<HandedOut<LoginResult>> {
    return this.cookie.handOut(reply, await this.secondStep.verifyEmail(body.token, body.code, client));
  }
}
