import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { AccessRole } from '../identity/users/user.entity';
import { Authenticated } from '../sessions/access/authenticated.decorator';
import { CurrentSession } from '../sessions/current-session.decorator';
import type { SessionSnapshot } from '../sessions/session-snapshot';
import { ApiErrors } from '../platform/http/api-errors.decorator';
import { ApiErrorCode } from '../platform/errors/api-error-code';
import { Client, ClientContext } from '../platform/http/client-context';
import { MfaPolicyDto } from './dto/mfa.dto';
import { MfaPolicies } from './mfa-policy.service';

const ORG_PARAM = { name: 'orgId', description: 'Organization id (the `organizationId` of the user payload).', example: '64a1b2c3-d4e5-4f60-8123-456789abcdef' };

@ApiTags('mfa')
@Authenticated({ role: AccessRole.ADMIN, organization: 'orgId' })
@Controller('organizations')
export class MfaPolicyController {
  constructor(private readonly policies: MfaPolicies) {}

  @Get(':orgId/mfa-policy')
  @ApiOperation({ summary: "The organization's MFA policy (ADMIN of that organization only); default `none`." })
  @ApiParam(ORG_PARAM)
  @ApiOkResponse({ type: MfaPolicyDto, example: { required: 'admins' } })
  @ApiErrors(ApiErrorCode.FORBIDDEN, ApiErrorCode.IMPERSONATION_RESTRICTED, ApiErrorCode.NOT_FOUND)
  async get(@Param('orgId') orgId: string): Promise<MfaPolicyDto> {
    return { required: await this.policies.get(orgId) };
  }

  @Put(':orgId/mfa-policy')
  @ApiOperation({
    summary: "Set who in the organization must have a second factor (ADMIN of that organization only).",
    description:
      '`none`, `admins` or `all`. A user the policy requires and who has no factor must enroll at their next password login ' +
      '(403 MFA_ENROLLMENT_REQUIRED), and cannot disable their factor (409 MFA_REQUIRED_BY_POLICY). Every change is written ' +
      'to the audit trail (`mfa_policy.updated`, before and after).',
  })
  @ApiParam(ORG_PARAM)
  @ApiOkResponse({ type: MfaPolicyDto, example: { required: 'all' } })
  @ApiErrors(ApiErrorCode.VALIDATION_FAILED, ApiErrorCode.FORBIDDEN, ApiErrorCode.IMPERSONATION_RESTRICTED, ApiErrorCode.NOT_FOUND)
  async put(
    @CurrentSession() session: SessionSnapshot,
    @Param('orgId') orgId: string,
    @Body() body: MfaPolicyDto,
    @Client() client: ClientContext,
  ): Promise<MfaPolicyDto> {
    return { required: await this.policies.update(session, orgId, body.required, client) };
  }
}
