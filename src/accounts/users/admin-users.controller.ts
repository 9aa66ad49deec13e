import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AccessRole } from '../../identity/users/user.entity';
import { ApiErrorCode } from '../../platform/errors/api-error-code';
import { Authenticated } from '../../sessions/access/authenticated.decorator';
import { Client, ClientContext } from '../../platform/http/client-context';
import { CurrentSession } from '../../sessions/current-session.decorator';
import type { SessionSnapshot } from '../../sessions/session-snapshot';
import { adminErrors, ApiErrors, bearerErrors, malformedJson, validationError } from '../api-docs';
import { AdminUserDto, CreatedUserDto } from '../dto/admin-user.dto';
import { CreateUserRequest, UpdateUserRequest } from '../dto/admin-user.requests';
import { AdminUsersService } from './admin-users.service';

const ORG_PARAM = { name: 'orgId', description: 'Organization id (the `organizationId` of the user payload).' };
const USER_PARAM = { name: 'userId', description: 'A user of that organization.' };
const userNotFound = { code: ApiErrorCode.USER_NOT_FOUND, message: 'no such user in this organization' };

@ApiTags('organizations')
@Authenticated({ role: AccessRole.ADMIN, organization: 'orgId' })
@Controller('organizations')
export class AdminUsersController {
  constructor(private readonly admin: AdminUsersService) {}

  @Post(':orgId/users')
  @ApiOperation({
    summary: 'Create a user and email them an invitation (ADMIN of the organization only).',
    description:
      'The user starts `invited`, with no password; the invitation link (PUBLIC_APP_URL/accept-invitation?token=…) works once, ' +
      'for INVITATION_TTL_HOURS (7 days by default), and is redeemed with POST /api/auth/password/reset. ' +
      'The email is sent after the answer. Audited as `user.created` and `user.invited`.',
  })
  @ApiParam(ORG_PARAM)
  @ApiCreatedResponse({ type: CreatedUserDto })
  @ApiErrors([
    validationError,
    malformedJson,
    ...bearerErrors,
    ...adminErrors,
    { code: ApiErrorCode.EMAIL_TAKEN, message: 'a user (of any organization) already has this email' },
    { code: ApiErrorCode.USERNAME_TAKEN, message: 'a user already has this user name' },
  ])
  create(
    @CurrentSession() session: SessionSnapshot,
    @Param('orgId') orgId: string,
    @Body() body: CreateUserRequest,
    @Client() client: ClientContext,
  ): Promise<CreatedUserDto> {
    return this.admin.create(session, orgId, body, client);
  }

  @Get(':orgId/users/:userId')
  @ApiOperation({ summary: 'One user of the organization, as an admin sees them (ADMIN of the organization only).' })
  @ApiParam(ORG_PARAM)
  @ApiParam(USER_PARAM)
  @ApiOkResponse({ type: AdminUserDto })
  @ApiErrors([...bearerErrors, ...adminErrors, userNotFound])
  get(@CurrentSession() session: SessionSnapshot, @Param('orgId') orgId: string, @Param('userId') userId: string): Promise<AdminUserDto> {
    return this.admin.get(session, orgId, userId);
  }

  @Patch(':orgId/users/:userId')
  @ApiOperation({
    summary: 'Change a user: names, user name, role, active (ADMIN of the organization only).',
    description:
      '`active: false` ends every session of the user at once (other instances within SESSION_CACHE_MS) and kills their links. ' +
      'Demoting or deactivating the last active ADMIN (yourself included) answers 409 LAST_ADMIN. Audited as `user.updated`, ' +
      '`user.role_changed`, `user.deactivated` or `user.reactivated`.',
  })
  @ApiParam(ORG_PARAM)
  @ApiParam(USER_PARAM)
  @ApiOkResponse({ type: AdminUserDto })
  @ApiErrors([
    validationError,
    malformedJson,
    ...bearerErrors,
    ...adminErrors,
    userNotFound,
    { code: ApiErrorCode.LAST_ADMIN, message: 'the organization would be left without an active ADMIN' },
    { code: ApiErrorCode.USERNAME_TAKEN, message: 'a user already has this user name' },
  ])
  update(
    @CurrentSession() session: SessionSnapshot,
    @Param('orgId') orgId: string,
    @Param('userId') userId: string,
    @Body() body: UpdateUserRequest,
    @Client() client: ClientContext,
  ): Promise<AdminUserDto> {
    return this.admin.update(session, orgId, userId, body, client);
  }

  @Post(':orgId/users/:userId/sessions/revoke')
  @HttpCode(204)
  @ApiOperation({ summary: "End every session of the user (ADMIN of the organization only). Audited as `user.sessions_revoked`." })
  @ApiParam(ORG_PARAM)
  @ApiParam(USER_PARAM)
  @ApiNoContentResponse({ description: 'Every session of the user has ended.' })
  @ApiErrors([...bearerErrors, ...adminErrors, userNotFound])
  revokeSessions(
    @CurrentSession() session: SessionSnapshot,
    @Param('orgId') orgId: string,
    @Param('userId') userId: string,
    @Client() client: ClientContext,
  ): Promise<void> {
    return this.admin.revokeSessions(session, orgId, userId, client);
  }

  @Post(':orgId/users/:userId/invitation')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a new invitation; older links stop working (ADMIN of the organization only). Audited as `user.invited`.' })
  @ApiParam(ORG_PARAM)
  @ApiParam(USER_PARAM)
  @ApiAcceptedResponse({ description: 'The invitation email is on its way. Always `{}`.', schema: { type: 'object', additionalProperties: false, example: {} } })
  @ApiErrors([...bearerErrors, ...adminErrors, userNotFound, { code: ApiErrorCode.NOT_INVITED, message: 'the user is not `invited`' }])
  async resendInvitation(
    @CurrentSession() session: SessionSnapshot,
    @Param('orgId') orgId: string,
    @Param('userId') userId: string,
    @Client() client: ClientContext,
  ): Promise<Record<string, never>> {
    await this.admin.resendInvitation(session, orgId, userId, client);
    return {};
  }

  @Post(':orgId/users/:userId/password-reset')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Email the user a password-reset link, as if they had asked (ADMIN of the organization only).',
    description: 'An inactive user gets nothing. Audited as `user.password_reset_sent`.',
  })
  @ApiParam(ORG_PARAM)
  @ApiParam(USER_PARAM)
  @ApiAcceptedResponse({ description: 'The reset email is on its way. Always `{}`.', schema: { type: 'object', additionalProperties: false, example: {} } })
  @ApiErrors([
    ...bearerErrors,
    ...adminErrors,
    userNotFound,
    { code: ApiErrorCode.PASSWORD_MANAGED_BY_IDENTITY_PROVIDER, message: 'the user is migrated: WorkOS owns the password' },
  ])
  async sendPasswordReset(
    @CurrentSession() session: SessionSnapshot,
    @Param('orgId') orgId: string,
    @Param('userId') userId: string,
    @Client() client: ClientContext,
  ): Promise<Record<string, never>> {
    await this.admin.sendPasswordReset(session, orgId, userId, client);
    return {};
  }
}
