import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ApiErrorCode } from '../../platform/errors/api-error-code';
import { ApiErrors } from '../../platform/http/api-errors.decorator';
import { Client, ClientContext } from '../../platform/http/client-context';
import { Public } from '../../platform/http/public.decorator';
import { LoginResponseDto } from '../dto/login-response.dto';
import { LoginResult } from '../../sessions/session-issuer.service';
import { SsoAuthorizeQueryDto, SsoAuthorizeResponseDto, SsoCallbackDto } from './dto/sso.dto';
import { SsoService } from './sso.service';
import { SETS_REFRESH_COOKIE } from '../refresh-cookie/refresh-cookie.docs';
import { HandedOut, RefreshCookie } from '../refresh-cookie/refresh-cookie';

@ApiTags('auth')
@Controller('auth/workos')
export class SsoController {
  constructor(
    private readonly sso: SsoService,
    private readonly cookie: RefreshCookie,
  ) {}

  @Public()
  @Get('authorize')
  @ApiOperation({
    summary: 'Start an SSO sign-in through WorkOS',
    description:
      "Maps this service's organization to its WorkOS organization and answers the WorkOS authorization URL, carrying a signed state that expires after 10 minutes, works once and is bound to the browser that asked: send a fresh random `browserNonce`, keep it in sessionStorage, and present it again at the callback.",
  })
  @ApiOkResponse({ type: SsoAuthorizeResponseDto })
  @ApiNotFoundResponse({ description: 'NOT_FOUND (no such organization)' })
  @ApiServiceUnavailableResponse({ description: 'IDENTITY_PROVIDER_UNAVAILABLE (WorkOS not configured)' })
  @ApiErrors(ApiErrorCode.VALIDATION_FAILED, ApiErrorCode.INVALID_REDIRECT_URI, ApiErrorCode.SSO_NOT_CONFIGURED, ApiErrorCode.NOT_FOUND, ApiErrorCode.IDENTITY_PROVIDER_UNAVAILABLE)
  authorize(@Query() query: SsoAuthorizeQueryDto): Promise<SsoAuthorizeResponseDto> {
    return this.sso.authorize(query);
  }

  @Public()
  @Post('callback')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Finish an SSO sign-in: exchange the WorkOS code for a session',
    description:
      'Post the query parameters WorkOS put on redirectUri, plus the `browserNonce` this browser sent to authorize. With `code`: the state is checked (it must have been started with this browserNonce, else SSO_BROWSER_MISMATCH: a code and state from another browser never sign this one in) and spent, the code exchanged with WorkOS, the WorkOS user matched to an active local user of the organization (by its link, or by a verified email equal after normalisation, which then links it) and an SSO session opened: the same body as a login. With `error`: WorkOS is not called; SSO_FAILED.',
  })
  @ApiBody({
    type: SsoCallbackDto,
    examples: {
      success: { value: { code: '01J8Z3V2Q9K3WQ4M5N6P7R8S9T', state: 'eyJhbGciOiJIUzI1NiIsImtpZCI6…', browserNonce: 'q2L0m7V5xkYc3Rr0f1s9b8N4wT6uZ2aH-J_eP5dK7gA' } },
      error: { value: { error: 'access_denied', error_description: 'The user cancelled the sign-in.', state: 'eyJhbGciOiJIUzI1NiIsImtpZCI6…' } },
    },
  })
  @ApiOkResponse({ type: LoginResponseDto, description: 'Signed in; session method sso.', headers: SETS_REFRESH_COOKIE })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED, INVALID_STATE (bad, expired or reused state), SSO_BROWSER_MISMATCH (the state was started in another browser, or no browserNonce), INVALID_SSO_CODE (WorkOS refused the code), SSO_NOT_CONFIGURED' })
  @ApiUnauthorizedResponse({ description: 'SSO_FAILED (WorkOS redirected back with an error)' })
  @ApiServiceUnavailableResponse({ description: 'IDENTITY_PROVIDER_UNAVAILABLE (WorkOS down, slow, 5xx, 429 or misconfigured)' })
  @ApiErrors(ApiErrorCode.VALIDATION_FAILED, ApiErrorCode.INVALID_STATE, ApiErrorCode.SSO_BROWSER_MISMATCH, ApiErrorCode.INVALID_SSO_CODE, ApiErrorCode.SSO_NOT_CONFIGURED, ApiErrorCode.SSO_FAILED, ApiErrorCode.USER_NOT_PROVISIONED, ApiErrorCode.EMAIL_VERIFICATION_REQUIRED, ApiErrorCode.MFA_REQUIRED, ApiErrorCode.ADDITIONAL_VERIFICATION_REQUIRED, ApiErrorCode.IDENTITY_PROVIDER_UNAVAILABLE)
  async callback(@Body() dto: SsoCallbackDto, @Client() client: ClientContext, @Res({ passthrough: true }) reply: FastifyReply): Promise<HandedOut<LoginResult>> {
    return this.cookie.handOut(reply, await this.sso.callback(dto, client));
  }
}
