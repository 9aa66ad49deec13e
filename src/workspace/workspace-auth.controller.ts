import { Controller, Get, HttpCode, Post, UseFilters, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Client, ClientContext } from '../platform/http/client-context';
import { Public } from '../platform/http/public.decorator';
import { CurrentWorkspaceSession, WorkspaceBearer } from './auth/workspace-bearer';
import type { WorkspaceSession } from './auth/workspace-session';
import type { WorkspaceAuthResponseDto, WorkspaceUserContextDto } from './dto/workspace-auth.response';
import { WorkspaceContextEnvelopeDto, WorkspaceEmptyEnvelopeDto, WorkspaceLoginEnvelopeDto } from './dto/workspace-envelope.dto';
import {
  CONTEXT_OK_EXAMPLE,
  LOGIN_BAD_REQUEST_EXAMPLES,
  LOGIN_OK_EXAMPLES,
  LOGOUT_OK_EXAMPLE,
  MEMBERSHIP_REMOVED_EXAMPLE,
  TOO_MANY_ATTEMPTS_EXAMPLE,
  UNAUTHORIZED_EXAMPLE,
  UNAVAILABLE_EXAMPLE,
} from './dto/workspace-examples';
import { WorkspaceLoginRequest } from './dto/workspace-login.request';
import { WorkspaceEnvelopeFilter } from './envelope/workspace-envelope.filter';
import { WorkspaceEnvelopeInterceptor } from './envelope/workspace-envelope.interceptor';
import { WorkspaceLoginCommand, WorkspaceLoginInput, WorkspaceLoginPipe } from './envelope/workspace-login.pipe';
import { WorkspaceAnswer } from './envelope/workspace-message';
import { WorkspaceAuthService } from './workspace-auth.service';

@ApiTags('workspace')
@Controller('workspace/auth')
@UseFilters(WorkspaceEnvelopeFilter)
@UseInterceptors(WorkspaceEnvelopeInterceptor)
export class WorkspaceAuthController {
  constructor(private readonly workspaceAuth: WorkspaceAuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Authenticate a workspace user by user name or email.',
    description:
      'Locale is resolved from the workspace settings. The workspace is the `X-Workspace` header (a slug) when given, ' +
      'else the user\'s default membership, else their only membership. Credentials are checked exactly as on ' +
      '`POST /api/auth/login` (bcrypt, or WorkOS for migrated users) and share its throttling. Every answer, errors ' +
      'included, is the `{ Data, Errors, Warnings, Success }` envelope.',
  })
  @ApiHeader({
    name: 'X-Workspace',
    required: false,
    description: 'Workspace slug to sign in to (at most 100 characters). Not a member, or no such workspace: WorkspaceAccessDenied, decided only after a correct password.',
  })
  @ApiBody({ type: WorkspaceLoginRequest, description: 'Request payload to authenticate a workspace user.' })
  @ApiOkResponse({ type: WorkspaceLoginEnvelopeDto, description: 'OK', examples: LOGIN_OK_EXAMPLES })
  @ApiBadRequestResponse({
    type: WorkspaceLoginEnvelopeDto,
    description:
      'Bad Request. Validation (Type 0): Required, InvalidType, TooLong, InvalidCharacters, UnknownField, InvalidJson, ' +
      'InvalidContentType (Field names the culprit). Business rules (Type 1): InvalidCredentials, WorkspaceAccessDenied, ' +
      'EmailVerificationRequired, MfaRequired, SsoRequired. A body over 16 KiB answers 413 PayloadTooLarge.',
    examples: LOGIN_BAD_REQUEST_EXAMPLES,
  })
  @ApiTooManyRequestsResponse({
    type: WorkspaceLoginEnvelopeDto,
    description: 'TooManyAttempts (Type 1), with a Retry-After header in seconds.',
    example: TOO_MANY_ATTEMPTS_EXAMPLE,
  })
  @ApiServiceUnavailableResponse({
    type: WorkspaceLoginEnvelopeDto,
    description: 'IdentityProviderUnavailable or ServiceUnavailable (Type 2).',
    example: UNAVAILABLE_EXAMPLE,
  })
  login(
    @WorkspaceLoginInput(WorkspaceLoginPipe) command: WorkspaceLoginCommand,
    @Client() client: ClientContext,
  ): Promise<WorkspaceAnswer<WorkspaceAuthResponseDto>> {
    return this.workspaceAuth.login(command, client);
  }

  @Get('me')
  @WorkspaceBearer()
  @ApiOperation({
    summary: 'The workspace context of the current workspace session (the login\'s Data without AccessToken).',
    description: 'Bearer: the AccessToken of a workspace login. `/api/auth` access tokens are refused here, and workspace tokens there.',
  })
  @ApiOkResponse({ type: WorkspaceContextEnvelopeDto, description: 'OK', example: CONTEXT_OK_EXAMPLE })
  @ApiUnauthorizedResponse({
    type: WorkspaceContextEnvelopeDto,
    description: 'TokenInvalid, TokenExpired, SessionRevoked, SessionIdleTimeout, SessionExpired (Type 1).',
    example: UNAUTHORIZED_EXAMPLE,
  })
  @ApiBadRequestResponse({
    type: WorkspaceContextEnvelopeDto,
    description: 'WorkspaceAccessDenied: the membership was removed since login.',
    example: MEMBERSHIP_REMOVED_EXAMPLE,
  })
  me(@CurrentWorkspaceSession() session: WorkspaceSession): Promise<WorkspaceAnswer<WorkspaceUserContextDto>> {
    return this.workspaceAuth.me(session);
  }

  @Post('logout')
  @HttpCode(200)
  @WorkspaceBearer()
  @ApiOperation({ summary: 'End the current workspace session: its access token stops working at once.' })
  @ApiOkResponse({ type: WorkspaceEmptyEnvelopeDto, description: 'OK: the session is ended.', example: LOGOUT_OK_EXAMPLE })
  @ApiUnauthorizedResponse({ type: WorkspaceEmptyEnvelopeDto, description: 'TokenInvalid, TokenExpired, Session* codes.', example: UNAUTHORIZED_EXAMPLE })
  logout(@CurrentWorkspaceSession() session: WorkspaceSession, @Client() client: ClientContext): Promise<WorkspaceAnswer<null>> {
    return this.workspaceAuth.logout(session, client);
  }
}
