import { AccessRole } from '../identity/users/user.entity';
import { ApiErrorCode } from '../platform/errors/api-error-code';
import { Authenticated } from '../sessions/access/authenticated.decorator';
import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentSession } from '../sessions/current-session.decorator';
import type { SessionSnapshot } from '../sessions/session-snapshot';
import { ApiErrors } from '../platform/http/api-errors.decorator';
import { OrganizationUsersPageDto, OrganizationUsersQuery } from './organization-users.dto';
import { OrganizationUsersService } from './organization-users.service';

@ApiTags('organizations')
@Controller('organizations')
export class OrganizationUsersController {
  constructor(private readonly directory: OrganizationUsersService) {}

  @Get(':orgId/users')
  @Authenticated({ role: AccessRole.ADMIN, organization: 'orgId', impersonationCode: ApiErrorCode.FORBIDDEN })
  @ApiOperation({
    summary: 'The users of an organization (ADMIN of that organization only).',
    description: 'Ordered by email, paginated. An admin picks whom to impersonate from it.',
  })
  @ApiParam({ name: 'orgId', type: String, description: 'Organization id (the `organizationId` of the user payload).' })
  @ApiOkResponse({ type: OrganizationUsersPageDto })
  @ApiForbiddenResponse({ description: 'FORBIDDEN: the caller is not an ADMIN, or the session is an impersonation.' })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: another organization, or none with this id.' })
  @ApiErrors(ApiErrorCode.VALIDATION_FAILED)
  list(
    @CurrentSession() session: SessionSnapshot,
    @Query() query: OrganizationUsersQuery,
  ): Promise<OrganizationUsersPageDto> {
    return this.directory.list(session.organizationId, query);
  }
}
