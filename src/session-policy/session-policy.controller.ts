import { AccessRole } from '../identity/users/user.entity';
import { ApiErrorCode } from '../platform/errors/api-error-code';
import { Authenticated } from '../sessions/access/authenticated.decorator';
import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentSession } from '../sessions/current-session.decorator';
import type { SessionSnapshot } from '../sessions/session-snapshot';
import { ApiErrorDto } from '../platform/errors/api-error.dto';
import { Client, ClientContext } from '../platform/http/client-context';
import { POLICY_EXAMPLE, SessionPolicyDto, UpdateSessionPolicyRequest } from './dto/session-policy.dto';
import { describeReasonCodes } from '../sessions/policy/session-reason-codes';
import { SessionPolicyService } from './session-policy.service';

const ENFORCEMENT =
  'When `enabled` is true the server enforces the policy too: a session with no authenticated request and no refresh ' +
  'for `idleTimeoutMinutes` is dead (401 SESSION_IDLE_TIMEOUT at its next request or refresh); a refresh of a password ' +
  'session needs `passwordSilentRenewalEnabled`, of an SSO session `ssoSilentRenewalEnabled` (else 401 ' +
  'SILENT_RENEWAL_DISABLED; the SPA then applies the fallback behaviour); no refresh moves a session past its absolute ' +
  'limit (401 SESSION_EXPIRED). Login, refresh and me answer `session.idleExpiresAt` and `session.expiresAt`, computed ' +
  'by the server.\n\nThe 401 reason codes a session can end with:\n' +
  describeReasonCodes();

const ERROR_EXAMPLES = {
  forbidden: { statusCode: 403, code: 'FORBIDDEN', message: 'You are not allowed to do this.' },
  notFound: { statusCode: 404, code: 'NOT_FOUND', message: 'Organization not found.' },
};

const ORG_PARAM = { name: 'orgId', description: 'Organization id (the `organizationId` of the user payload).', example: '64a1b2c3-d4e5-4f60-8123-456789abcdef' };

@ApiTags('session-policy')
// ADMIN of the organization in the path; an impersonated session is refused as FORBIDDEN, as documented before IMPERSONATION_RESTRICTED existed.
@Authenticated({ role: AccessRole.ADMIN, organization: 'orgId', impersonationCode: ApiErrorCode.FORBIDDEN })
@Controller('organizations')
export class SessionPolicyController {
  constructor(private readonly policies: SessionPolicyService) {}

  @Get(':orgId/session-policy')
  @ApiOperation({
    summary: "The organization's session policy, resolved (ADMIN of that organization only).",
    description:
      'All nine `sessionConfig` fields: what the organization stored, the documented defaults for the rest ' +
      '(enabled false, idleTimeoutMinutes 30, tokenExpiryHours 8, warningTimeMinutes 2, idleTrackingEnabled true, ' +
      'ssoSilentRenewalEnabled true, ssoFallbackBehavior "redirect", passwordSilentRenewalEnabled false, ' +
      'passwordFallbackBehavior "logout"). The body can be sent back unchanged to PUT.\n\n' +
      ENFORCEMENT,
  })
  @ApiParam(ORG_PARAM)
  @ApiOkResponse({ type: SessionPolicyDto, example: POLICY_EXAMPLE })
  @ApiForbiddenResponse({ type: ApiErrorDto, description: 'FORBIDDEN: not an ADMIN, or an impersonated session.', example: ERROR_EXAMPLES.forbidden })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'NOT_FOUND: another organization, or no organization with this id.', example: ERROR_EXAMPLES.notFound })
  get(@CurrentSession() session: SessionSnapshot, @Param('orgId') orgId: string): Promise<SessionPolicyDto> {
    return this.policies.get(orgId);
  }

  @Put(':orgId/session-policy')
  @ApiOperation({
    summary: "Replace the organization's session policy (ADMIN of that organization only).",
    description:
      'Takes all nine fields, each required: idleTimeoutMinutes an integer 1–1440, tokenExpiryHours an integer 1–720, ' +
      'warningTimeMinutes an integer 0–60 and smaller than idleTimeoutMinutes, the flags strictly booleans, the fallbacks ' +
      '"redirect" or "logout". Unknown fields are refused. Each invalid field is named in `errors`. Answers the stored policy. ' +
      'Every change is written to the audit trail (`session_policy.updated`: who, the organization, before and after of each ' +
      'changed field). It takes effect at the next login or refresh of every session of the organization; a running session ' +
      'meets a tightened idle timeout at its next request (on this instance at once, on the others within SESSION_CACHE_MS, ' +
      '2 s by default).\n\n' +
      ENFORCEMENT,
  })
  @ApiParam(ORG_PARAM)
  @ApiBody({
    type: UpdateSessionPolicyRequest,
    examples: {
      enforced: { summary: 'Enforced: 15 minutes idle, SSO renews silently, password sessions sign in again', value: POLICY_EXAMPLE },
      defaults: {
        summary: 'The documented defaults (not enforced)',
        value: { ...POLICY_EXAMPLE, enabled: false, idleTimeoutMinutes: 30 },
      },
    },
  })
  @ApiOkResponse({ type: SessionPolicyDto, example: POLICY_EXAMPLE })
  @ApiBadRequestResponse({
    type: ApiErrorDto,
    description: 'VALIDATION_FAILED (each invalid, missing or unknown field named in `errors`), MALFORMED_JSON',
    example: {
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: 'Invalid request: warningTimeMinutes: warningTimeMinutes must be smaller than idleTimeoutMinutes (2)',
      errors: [{ field: 'warningTimeMinutes', message: 'warningTimeMinutes must be smaller than idleTimeoutMinutes (2)' }],
    },
  })
  @ApiForbiddenResponse({ type: ApiErrorDto, description: 'FORBIDDEN: not an ADMIN, or an impersonated session.', example: ERROR_EXAMPLES.forbidden })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'NOT_FOUND: another organization, or no organization with this id.', example: ERROR_EXAMPLES.notFound })
  update(
    @CurrentSession() session: SessionSnapshot,
    @Param('orgId') orgId: string,
    @Body() body: UpdateSessionPolicyRequest,
    @Client() client: ClientContext,
  ): Promise<SessionPolicyDto> {
    return this.policies.update(session, orgId, body, client);
  }
}
