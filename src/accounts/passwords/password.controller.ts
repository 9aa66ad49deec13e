import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorCode } from '../../platform/errors/api-error-code';
import { Client, ClientContext } from '../../platform/http/client-context';
import { Public } from '../../platform/http/public.decorator';
import { Authenticated } from '../../sessions/access/authenticated.decorator';
import { CurrentSession } from '../../sessions/current-session.decorator';
import type { SessionSnapshot } from '../../sessions/session-snapshot';
import { ApiErrors, bearerErrors, malformedJson, validationError } from '../api-docs';
import { ChangePasswordRequest, ForgotPasswordRequest, ResetPasswordRequest } from '../dto/password.requests';
import { PasswordService } from './password.service';

const RULES =
  'Password rules: at least 12 characters, at most 72 bytes in UTF-8, not one of ~49,000 common passwords, not containing ' +
  'the email, its local part or the user name. Refused: 400 WEAK_PASSWORD, `errors[].reason` one of TOO_SHORT, TOO_LONG, ' +
  'TOO_COMMON, CONTAINS_IDENTIFIER.';
const weakPassword = { code: ApiErrorCode.WEAK_PASSWORD, message: 'newPassword breaks a password rule (`errors[].reason`)' };
const managed = { code: ApiErrorCode.PASSWORD_MANAGED_BY_IDENTITY_PROVIDER, message: 'a migrated user: WorkOS owns the password' };
const throttled = { code: ApiErrorCode.TOO_MANY_ATTEMPTS, message: 'too many attempts; see Retry-After' };

@ApiTags('auth')
@Controller('auth/password')
export class PasswordController {
  constructor(private readonly passwords: PasswordService) {}

  @Post()
  @HttpCode(204)
  @Authenticated({ impersonation: 'refuse' })
  @ApiOperation({
    summary: 'Change your password with the current one.',
    description:
      'This session stays signed in; every other session of the user ends, and outstanding reset links die. A wrong ' +
      '`currentPassword` answers 400 CURRENT_PASSWORD_INCORRECT and counts against the same throttle budget as a failed ' +
      'login (then 429 TOO_MANY_ATTEMPTS with Retry-After). Not from an impersonated session. Audited as `user.password_changed`.\n\n' +
      RULES,
  })
  @ApiNoContentResponse({ description: 'Password changed.' })
  @ApiErrors([
    { code: ApiErrorCode.CURRENT_PASSWORD_INCORRECT, message: 'currentPassword is not the current password' },
    weakPassword,
    validationError,
    malformedJson,
    ...bearerErrors,
    { code: ApiErrorCode.IMPERSONATION_RESTRICTED, message: "an impersonated session never changes the user's credentials" },
    managed,
    throttled,
  ])
  change(@CurrentSession() session: SessionSnapshot, @Body() body: ChangePasswordRequest, @Client() client: ClientContext): Promise<void> {
    return this.passwords.change(session, body.currentPassword, body.newPassword, client);
  }

  @Public()
  @Post('forgot')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Ask for a password-reset email.',
    description:
      'Answers 202 `{}` whatever the email (unknown, inactive, migrated or real: same status, body and work). An active ' +
      'local account gets an email with a link to PUBLIC_APP_URL/reset-password?token=…, valid once for ' +
      'PASSWORD_RESET_TTL_MINUTES (30 by default), sent after the answer. Throttled per email and per client IP like logins.',
  })
  @ApiBody({ type: ForgotPasswordRequest })
  @ApiAcceptedResponse({ description: 'Always `{}`.', schema: { type: 'object', additionalProperties: false, example: {} } })
  @ApiErrors([validationError, malformedJson, throttled])
  async forgot(@Body() body: ForgotPasswordRequest, @Client() client: ClientContext): Promise<Record<string, never>> {
    await this.passwords.forgot(body.email, client);
    return {};
  }

  @Public()
  @Post('reset')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Set a new password with the token of a reset or invitation link.',
    description:
      'Sets the password, activates an invited user, marks the email verified, ends every session of the user and kills ' +
      'their other links, all at once. The token works once, also under concurrency. Audited as `user.password_reset` or ' +
      '`user.invitation_accepted`.\n\n' +
      RULES,
  })
  @ApiNoContentResponse({ description: 'Password set; sign in with it.' })
  @ApiErrors([
    { code: ApiErrorCode.INVALID_RESET_TOKEN, message: 'the link is unknown, used or expired' },
    weakPassword,
    validationError,
    malformedJson,
    managed,
  ])
  reset(@Body() body: ResetPasswordRequest, @Client() client: ClientContext): Promise<void> {
    return this.passwords.reset(body.token, body.newPassword, client);
  }
}
