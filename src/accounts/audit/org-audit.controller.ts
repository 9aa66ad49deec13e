import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AccessRole } from '../../identity/users/user.entity';
import { Authenticated } from '../../sessions/access/authenticated.decorator';
import { adminErrors, ApiErrors, bearerErrors, validationError } from '../api-docs';
import { OrgAuditPageDto, OrgAuditQuery } from '../dto/org-audit.dto';
import { OrgAuditService } from './org-audit.service';

@ApiTags('organizations')
@Authenticated({ role: AccessRole.ADMIN, organization: 'orgId' })
@Controller('organizations')
export class OrgAuditController {
  constructor(private readonly audit: OrgAuditService) {}

  @Get(':orgId/audit')
  @ApiOperation({
    summary: "The organization's audit trail, newest first (ADMIN of the organization only).",
    description:
      'Every security-relevant event: users created, invited, updated, deactivated, reactivated, role changes, sessions ' +
      'revoked by an admin, passwords changed or reset, session-policy changes and the impersonation events. An action ' +
      'taken in an impersonated session names the impersonator. Paginated by cursor: pass `nextCursor` back as `cursor`.',
  })
  @ApiParam({ name: 'orgId', description: 'Organization id (the `organizationId` of the user payload).' })
  @ApiOkResponse({ type: OrgAuditPageDto })
  @ApiErrors([validationError, ...bearerErrors, ...adminErrors])
  list(@Param('orgId') orgId: string, @Query() query: OrgAuditQuery): Promise<OrgAuditPageDto> {
    return this.audit.list(orgId, query);
  }
}
