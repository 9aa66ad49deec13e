import { Body, Controller, Get, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import {
  ApiBody,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiUnauthorizedResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { ApiErrorCode } from '../platform/errors/api-error-code';
import { ApiErrors } from '../platform/http/api-errors.decorator';
import { Authenticated } from '../sessions/access/authenticated.decorator';
import { Client, ClientContext } from '../platform/http/client-context';
import { Public } from '../platform/http/public.decorator';
import type { User } from '../identity/users/user.entity';
import { AuthService } from './auth.service';
import { identityHeadersOf } from './forward-auth';
import { LoginDto, RefreshDto } from './dto/login.dto';
import { LoginResponseDto, MeResponseDto } from './dto/login-response.dto';
import { AccessTokenExpiry, CurrentSession, CurrentSessionIfAny } from '../sessions/current-session.decorator';
import { LoginGuard } from './guards/login.guard';
import { LoginResult } from '../sessions/session-issuer.service';
import type { SessionSnapshot } from '../sessions/session-snapshot';
import { apiError } from '../platform/errors/api.exception';
import { validationFailed } from '../platform/http/api-validation.pipe';
import { HandedOut, RefreshCookie } from './refresh-cookie/refresh-cookie';
import { ApiPendingLogin } from './second-step/pending-login.docs';
import { CLEARS_REFRESH_COOKIE, ReadsRefreshCookie, SETS_REFRESH_COOKIE } from './refresh-cookie/refresh-cookie.docs';
import { RefreshCookieGuard, RefreshCookieToken } from './refresh-cookie/refresh-cookie.guard';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly cookie: RefreshCookie,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @UseGuards(LoginGuard)
  @ApiOperation({
    summary: 'Login with password or impersonation token',
    description: 'Provide either password or impersonationToken with email.',
  })
  @ApiBody({
    type: LoginDto,
    examples: {
      password: { value: { email: 'ops@acme.example', password: 'CorrectHorseBatteryStaple!' } },
      impersonation: { value: { email: 'member@acme.example', impersonationToken: 'eyJhbGciOiJIUzI1NiIs…' } },
    },
  })
  @ApiOkResponse({ type: LoginResponseDto, description: 'Login successful', headers: SETS_REFRESH_COOKIE })
  @ApiTooManyRequestsResponse({ description: 'TOO_MANY_ATTEMPTS, with Retry-After' })
  @ApiPendingLogin()
  @ApiErrors(ApiErrorCode.VALIDATION_FAILED, ApiErrorCode.MALFORMED_JSON, ApiErrorCode.INVALID_CREDENTIALS, ApiErrorCode.IMPERSONATION_TOKEN_INVALID, ApiErrorCode.TOO_MANY_ATTEMPTS, ApiErrorCode.IDENTITY_PROVIDER_UNAVAILABLE, ApiErrorCode.SERVICE_UNAVAILABLE)
  async login(
    @Body() dto: LoginDto,
    @Req() request: { user?: User },
    @Client() client: ClientContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<HandedOut<LoginResult>> {
    return this.cookie.handOut(reply, await this.auth.login(dto, request.user, client));
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @UseGuards(RefreshCookieGuard)
  @ApiOperation({
    summary: 'Exchange a refresh token for new tokens',
    description:
      'Rotation: each refresh token works once. Presenting an already-rotated token within the grace window (10 s) returns the same successor token; after it, the whole session is revoked (REFRESH_TOKEN_REUSED). ' +
      'With REFRESH_TOKEN_COOKIE=true the body may be `{}`: the token is then the refresh cookie\'s (a token in the body wins).',
  })
  @ReadsRefreshCookie('when the body has no refreshToken')
  @ApiOkResponse({ type: LoginResponseDto, headers: SETS_REFRESH_COOKIE })
  @ApiErrors(ApiErrorCode.VALIDATION_FAILED, ApiErrorCode.MALFORMED_JSON, ApiErrorCode.UNSUPPORTED_MEDIA_TYPE, ApiErrorCode.INVALID_REFRESH_TOKEN, ApiErrorCode.REFRESH_TOKEN_REUSED, ApiErrorCode.SILENT_RENEWAL_DISABLED, ApiErrorCode.SESSION_IDLE_TIMEOUT, ApiErrorCode.SESSION_EXPIRED)
  async refresh(
    @Body() dto: RefreshDto,
    @RefreshCookieToken() cookieToken: string | undefined,
    @Client() client: ClientContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<HandedOut<LoginResult>> {
    const refreshToken = dto.refreshToken ?? cookieToken;
    // Without the cookie mode (or without a cookie) the body's token is required, as it always was.
    if (refreshToken === undefined) throw validationFailed([{ field: 'refreshToken', message: 'refreshToken must be a string' }]);
    return this.cookie.handOut(reply, await this.auth.refresh(refreshToken, client));
  }

  @Post('logout')
  @HttpCode(204)
  @Authenticated({ bearer: 'optional' })
  @UseGuards(RefreshCookieGuard)
  @ApiOperation({
    summary: 'End the current session: its access and refresh tokens stop working at once.',
    description:
      'With the bearer token; or, with REFRESH_TOKEN_COOKIE=true and no Authorization header, with the refresh cookie alone (send `{}` as `application/json`). ' +
      'Either way the refresh cookie is cleared.',
  })
  @ReadsRefreshCookie('when no Authorization header is sent')
  @ApiNoContentResponse({ description: 'Session ended.', headers: CLEARS_REFRESH_COOKIE })
  @ApiErrors(ApiErrorCode.UNSUPPORTED_MEDIA_TYPE, ApiErrorCode.INVALID_REFRESH_TOKEN)
  async logout(
    @CurrentSessionIfAny() session: SessionSnapshot | null,
    @RefreshCookieToken() cookieToken: string | undefined,
    @Client() client: ClientContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    if (this.cookie.enabled) this.cookie.clear(reply);
    if (session) return this.auth.logout(session, client);
    // No Authorization header: the refresh cookie is the only credential, and without one this is the guard's refusal.
    if (cookieToken === undefined) throw apiError(ApiErrorCode.TOKEN_INVALID);
    return this.auth.logoutWithRefreshToken(cookieToken, client);
  }

  @Get('me')
  @Authenticated()
  @ApiOperation({ summary: 'The current user, session policy and deadlines; the impersonator on impersonated sessions.' })
  @ApiOkResponse({ type: MeResponseDto })
  me(@CurrentSession() session: SessionSnapshot, @AccessTokenExpiry() accessTokenExpiresAtMs: number): MeResponseDto {
    return this.auth.me(session, accessTokenExpiresAtMs);
  }

  @Get('verify')
  @HttpCode(204)
  @Authenticated()
  @ApiOperation({
    summary: 'Forward auth for API gateways: the checks of me, the identity in headers.',
    description:
      'For nginx `auth_request`, Traefik ForwardAuth, Envoy ext_authz (HTTP). The same checks as `GET /api/auth/me` (signature, expiry, session live, idle timeout; the call counts as activity), no body. ' +
      'Refused: 401 with `X-Auth-Error: <code>` and `WWW-Authenticate: Bearer error="invalid_token"`. docs/resource-servers.md, deploy/nginx/authgate-gateway.conf.',
  })
  @ApiNoContentResponse({
    description: 'A live session: who it is, in headers.',
    headers: {
      'X-Auth-User-Id': { description: 'The user (UUID).', schema: { type: 'string', format: 'uuid' } },
      'X-Auth-Organization-Id': { description: "The user's organization (UUID).", schema: { type: 'string', format: 'uuid' } },
      'X-Auth-Role': { description: 'ADMIN or MEMBER, as it is now.', schema: { type: 'string', enum: ['ADMIN', 'MEMBER'] } },
      'X-Auth-Session-Id': { description: 'The session (UUID).', schema: { type: 'string', format: 'uuid' } },
      'X-Auth-Impersonator-Id': { description: 'Impersonated sessions only: the admin acting as the user.', schema: { type: 'string', format: 'uuid' } },
    },
  })
  @ApiUnauthorizedResponse({
    description: 'The refusal, as me answers it.',
    headers: {
      'X-Auth-Error': { description: 'The code: TOKEN_INVALID, TOKEN_EXPIRED, SESSION_REVOKED, SESSION_IDLE_TIMEOUT or SESSION_EXPIRED.', schema: { type: 'string' } },
      'WWW-Authenticate': { description: 'Bearer error="invalid_token" (Bearer realm="authgate" when no token was sent).', schema: { type: 'string' } },
    },
  })
  verify(@CurrentSession() session: SessionSnapshot, @Res({ passthrough: true }) reply: FastifyReply): void {
    void reply.headers(identityHeadersOf(session));
  }
}
