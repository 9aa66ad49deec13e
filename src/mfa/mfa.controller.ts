import { Body, Controller, Delete, HttpCode, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Authenticated } from '../sessions/access/authenticated.decorator';
import { CurrentSession } from '../sessions/current-session.decorator';
import type { SessionSnapshot } from '../sessions/session-snapshot';
import { ApiErrorDto } from '../platform/errors/api-error.dto';
import { Client, ClientContext } from '../platform/http/client-context';
import { MfaCodeRequest, MfaProofRequest, RecoveryCodesDto, TotpEnrollmentDto } from './dto/mfa.dto';
import { MfaSettings } from './mfa-settings.service';
import { StepUp } from './step-up.service';

const CODE_REFUSED = 'MFA_CODE_INVALID: the code is wrong, or was already used (a code is accepted at most once); also TOKEN_INVALID, TOKEN_EXPIRED and the SESSION_* codes.';
const THROTTLED = 'TOO_MANY_ATTEMPTS, with Retry-After: wrong codes count against the same budget as failed logins.';
const IMPERSONATED = 'IMPERSONATION_RESTRICTED: an impersonated session never changes the user\'s factors.';

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
  @ApiUnauthorizedResponse({ type: ApiErrorDto, description: 'TOKEN_INVALID, TOKEN_EXPIRED, SESSION_* codes' })
  @ApiForbiddenResponse({ type: ApiErrorDto, description: IMPERSONATED })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'MFA_ALREADY_ENABLED: the user has an active factor; disable it first.' })
  enroll(@CurrentSession() session: SessionSnapshot): Promise<TotpEnrollmentDto> {
    return this.settings.startEnrollment(session);
  }

  @Post('totp/confirm')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Confirm TOTP enrollment with a first code: the factor is active; answers 10 recovery codes, shown this once.',
  })
  @ApiOkResponse({ type: RecoveryCodesDto })
  @ApiBadRequestResponse({ type: ApiErrorDto, description: 'VALIDATION_FAILED' })
  @ApiUnauthorizedResponse({ type: ApiErrorDto, description: CODE_REFUSED })
  @ApiForbiddenResponse({ type: ApiErrorDto, description: IMPERSONATED })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'MFA_ENROLLMENT_NOT_STARTED: no pending factor; MFA_ALREADY_ENABLED.' })
  @ApiTooManyRequestsResponse({ type: ApiErrorDto, description: THROTTLED })
  async confirm(@CurrentSession() session: SessionSnapshot, @Body() body: MfaCodeRequest, @Client() client: ClientContext): Promise<RecoveryCodesDto> {
    return { recoveryCodes: await this.settings.confirmEnrollment(session, body.code, client) };
  }

  @Delete('totp')
  @HttpCode(204)
  @ApiOperation({ summary: 'Disable TOTP with a current code or a recovery code; the recovery codes go with it.' })
  @ApiNoContentResponse({ description: 'The factor and its recovery codes are gone.' })
  @ApiBadRequestResponse({ type: ApiErrorDto, description: 'VALIDATION_FAILED' })
  @ApiUnauthorizedResponse({ type: ApiErrorDto, description: CODE_REFUSED })
  @ApiForbiddenResponse({ type: ApiErrorDto, description: IMPERSONATED })
  @ApiConflictResponse({ type: ApiErrorDto, description: "MFA_REQUIRED_BY_POLICY: the organization's MFA policy requires a factor for this user; MFA_NOT_ENABLED." })
  @ApiTooManyRequestsResponse({ type: ApiErrorDto, description: THROTTLED })
  disable(@CurrentSession() session: SessionSnapshot, @Body() body: MfaProofRequest, @Client() client: ClientContext): Promise<void> {
    return this.settings.disable(session, body.code, client);
  }

  @Post('recovery-codes')
  @HttpCode(200)
  @ApiOperation({ summary: 'A new set of 10 recovery codes, proved with a current code or a recovery code; the old set dies.' })
  @ApiOkResponse({ type: RecoveryCodesDto })
  @ApiBadRequestResponse({ type: ApiErrorDto, description: 'VALIDATION_FAILED' })
  @ApiUnauthorizedResponse({ type: ApiErrorDto, description: CODE_REFUSED })
  @ApiForbiddenResponse({ type: ApiErrorDto, description: IMPERSONATED })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'MFA_NOT_ENABLED: the user has no active factor.' })
  @ApiTooManyRequestsResponse({ type: ApiErrorDto, description: THROTTLED })
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
  @ApiBadRequestResponse({ type: ApiErrorDto, description: 'VALIDATION_FAILED' })
  @ApiUnauthorizedResponse({ type: ApiErrorDto, description: CODE_REFUSED })
  @ApiForbiddenResponse({ type: ApiErrorDto, description: 'IMPERSONATION_RESTRICTED: an impersonated session cannot step up.' })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'MFA_NOT_ENABLED: the user has no active factor to prove; enroll first.' })
  @ApiTooManyRequestsResponse({ type: ApiErrorDto, description: THROTTLED })
  stepUpNow(@CurrentSession() session: SessionSnapshot, @Body() body: MfaProofRequest, @Client() client: ClientContext): Promise<void> {
    return this.stepUp.prove(session, body.code, client);
  }
}
