import { Body, Controller, Delete, HttpCode, Post } from '@nestjs/common';
import {
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Authenticated } from '../sessions/access/authenticated.decorator';
import { CurrentSession } from '../sessions/current-session.decorator';
import type { SessionSnapshot } from '../sessions/session-snapshot';
import { ApiErrors } from '../platform/http/api-errors.decorator';
import { ApiErrorCode } from '../platform/errors/api-error-code';
import { Client, ClientContext } from '../platform/http/client-context';
import { MfaCodeRequest, MfaProofRequest, RecoveryCodesDto, TotpEnrollmentDto } from './dto/mfa.dto';
import { MfaSettings } from './mfa-settings.service';
import { StepUp } from './step-up.service';


/** The signed-in user's own second factor (`/api/auth/mfa/*`). */
@ApiTags('mfa')
@Authenticated({ impersonation: 'refuse' })
@Controller('auth/mfa')
export class MfaController {
  constructor(
    private readonly settings: MfaSettings,
    private readonly stepUp: StepUp,
  ) {}

  @Post('totp')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Start TOTP enrollment: a pending factor with its secret and otpauth URI.',
    description: 'A new call replaces a pending factor. The factor becomes active with the first correct code (`/api/auth/mfa/totp/confirm`).',
  })
  @ApiOkResponse({ type: TotpEnrollmentDto })
  @ApiErrors(ApiErrorCode.IMPERSONATION_RESTRICTED, ApiErrorCode.MFA_ALREADY_ENABLED)
  enroll(@CurrentSession() session: SessionSnapshot): Promise<TotpEnrollmentDto> {
    return this.settings.startEnrollment(session);
  }

  @Post('totp/confirm')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Confirm TOTP enrollment with a first code: the factor is active; answers 10 recovery codes, shown this once.',
  })
  @ApiOkResponse({ type: RecoveryCodesDto })
  @ApiErrors(ApiErrorCode.VALIDATION_FAILED, ApiErrorCode.MFA_CODE_INVALID, ApiErrorCode.IMPERSONATION_RESTRICTED, ApiErrorCode.MFA_ENROLLMENT_NOT_STARTED, ApiErrorCode.MFA_ALREADY_ENABLED, ApiErrorCode.TOO_MANY_ATTEMPTS)
  async confirm(@CurrentSession() session: SessionSnapshot, @Body() body: MfaCodeRequest, @Client() client: ClientContext): Promise<RecoveryCodesDto> {
    return { recoveryCodes: await this.settings.confirmEnrollment(session, body.code, client) };
  }

  @Delete('totp')
  @HttpCode(204)
  @ApiOperation({ summary: 'Disable TOTP with a current code or a recovery code; the recovery codes go with it.' })
  @ApiNoContentResponse({ description: 'The factor and its recovery codes are gone.' })
  @ApiErrors(ApiErrorCode.VALIDATION_FAILED, ApiErrorCode.MFA_CODE_INVALID, ApiErrorCode.IMPERSONATION_RESTRICTED, ApiErrorCode.MFA_REQUIRED_BY_POLICY, ApiErrorCode.MFA_NOT_ENABLED, ApiErrorCode.TOO_MANY_ATTEMPTS)
  disable(@CurrentSession() session: SessionSnapshot, @Body() body: MfaProofRequest, @Client() client: ClientContext): Promise<void> {
    return this.settings.disable(session, body.code, client);
  }

  @Post('recovery-codes')
  @HttpCode(200)
  @ApiOperation({ summary: 'A new set of 10 recovery codes, proved with a current code or a recovery code; the old set dies.' })
  @ApiOkResponse({ type: RecoveryCodesDto })
  @ApiErrors(ApiErrorCode.VALIDATION_FAILED, ApiErrorCode.MFA_CODE_INVALID, ApiErrorCode.IMPERSONATION_RESTRICTED, ApiErrorCode.MFA_NOT_ENABLED, ApiErrorCode.TOO_MANY_ATTEMPTS)
  async regenerate(@CurrentSession() session: SessionSnapshot, @Body() body: MfaProofRequest, @Client() client: ClientContext): Promise<RecoveryCodesDto> {
    return { recoveryCodes: await this.settings.regenerateRecoveryCodes(session, body.code, client) };
  }

  @Post('step-up')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Prove a second factor now, for this session: power (issuing an impersonation token) needs one within the last 15 minutes.',
    description: 'Takes a current code or a recovery code. `me` reports the time as `session.mfaAt`.',
  })
  @ApiNoContentResponse({ description: 'The session proved a second factor now.' })
  @ApiErrors(ApiErrorCode.VALIDATION_FAILED, ApiErrorCode.MFA_CODE_INVALID, ApiErrorCode.IMPERSONATION_RESTRICTED, ApiErrorCode.MFA_NOT_ENABLED, ApiErrorCode.TOO_MANY_ATTEMPTS)
  stepUpNow(@CurrentSession() session: SessionSnapshot, @Body() body: MfaProofRequest, @Client() client: ClientContext): Promise<void> {
    return this.stepUp.prove(session, body.code, client);
  }
}
