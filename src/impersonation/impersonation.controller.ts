import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentSession } from '../sessions/current-session.decorator';
import type { SessionSnapshot } from '../sessions/session-snapshot';
import { AccessRole } from '../identity/users/user.entity';
import { ApiErrorCode } from '../platform/errors/api-error-code';
import { Authenticated } from '../sessions/access/authenticated.decorator';
import { ApiErrors } from '../platform/http/api-errors.decorator';
import { Client, ClientContext } from '../platform/http/client-context';
import { ImpersonationReasonDto } from './dto/impersonate.request';
import { ImpersonationEventsPageDto } from './dto/impersonation-event.response';
import { ImpersonationEventsQueryDto } from './dto/impersonation-events.query';
import { ImpersonationTicketDto } from './dto/impersonation-ticket.response';
import { ImpersonationEndings } from './impersonation-endings.service';
import { ImpersonationEvents } from './impersonation-events.service';
import { ImpersonationIssuer } from './impersonation-issuer.service';
import { OptionalBody } from './optional-body';

const FLOW =
  'The impersonation flow: (1) an ADMIN calls POST /api/auth/impersonate/{userId} with an optional reason and gets a ' +
  'single-use `impersonationToken` (valid IMPERSONATION_TOKEN_TTL_SECONDS, default 120 s); (2) it is redeemed once at ' +
  'POST /api/auth/login with `{ "email": "<target email>", "impersonationToken": "…" }`, which opens a session of the target ' +
  'user whose access token carries `act: { sub: <adminId> }` and which ends at most IMPERSONATION_SESSION_MAX_MINUTES ' +
  '(default 60) after it starts, refreshes included; GET /api/auth/me shows `impersonator`; (3) it ends by ' +
  'POST /api/auth/logout, by an admin with POST /api/auth/impersonations/{sessionId}/end, or at its limit. ' +
  'Every step is listed by GET /api/auth/impersonations.';

@ApiTags('impersonation')
@Controller('auth')
export class ImpersonationController {
  constructor(
    private readonly issuer: ImpersonationIssuer,
    private readonly events: ImpersonationEvents,
    private readonly endings: ImpersonationEndings,
  ) {}

  @Post('impersonate/:userId')
  // Nested impersonation is refused first, whatever the role, so the admin behind it learns why.
  @Authenticated({ role: AccessRole.ADMIN, impersonationCode: ApiErrorCode.IMPERSONATION_NESTED })
  @HttpCode(200)
  @ApiOperation({
    summary: 'Issue a single-use impersonation token for a user of your organization (ADMIN).',
    description:
      `${FLOW}\n\nRefused: caller not ADMIN (403 FORBIDDEN); caller's session is itself an impersonation (403 ` +
      'IMPERSONATION_NESTED); target unknown, in another organization, inactive or not an id (404 USER_NOT_FOUND, ' +
      'indistinguishable); target is yourself or an ADMIN (403 IMPERSONATION_FORBIDDEN). Step-up: an ADMIN who has MFA (or whom the MFA policy requires to) must have proved a second factor on this session within 15 minutes (403 STEP_UP_REQUIRED; POST /api/auth/mfa/step-up). The body is optional.',
  })
  @ApiParam({ name: 'userId', description: 'The user to act as (an id of your organization).', example: '3f0c2a9e-1b7d-4c55-9a8e-6d2f0b1c4e77' })
  @ApiBody({
    type: ImpersonationReasonDto,
    required: false,
    examples: {
      withReason: { summary: 'With a reason (recommended)', value: { reason: 'Ticket #4821: customer cannot see the March invoices' } },
      empty: { summary: 'Without a reason', value: {} },
    },
  })
  @ApiOkResponse({
    type: ImpersonationTicketDto,
    example: {
      impersonationToken: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6IjNmQTlxWDJrIn0.eyJzdWIiOiI…',
      expiresAt: '2026-11-01T09:32:00.000Z',
      user: {
        id: '3f0c2a9e-1b7d-4c55-9a8e-6d2f0b1c4e77',
        email: 'member@acme.example',
        fullName: 'Mia Member',
        organizationId: '64a1b2c3-d4e5-4f60-8123-456789abcdef',
        accessRole: 'MEMBER',
        conversationOpenPreference: 'split',
      },
    },
  })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (reason longer than 500 characters, unknown field), MALFORMED_JSON' })
  @ApiErrors(ApiErrorCode.VALIDATION_FAILED, ApiErrorCode.MALFORMED_JSON, ApiErrorCode.IMPERSONATION_FORBIDDEN, ApiErrorCode.STEP_UP_REQUIRED, ApiErrorCode.USER_NOT_FOUND)
  impersonate(
    @CurrentSession() session: SessionSnapshot,
    @Param('userId') userId: string,
    @OptionalBody() body: ImpersonationReasonDto,
    @Client() client: ClientContext,
  ): Promise<ImpersonationTicketDto> {
    return this.issuer.issue(session, userId, body.reason, client);
  }

  @Get('impersonations')
  @Authenticated({ role: AccessRole.ADMIN, impersonationCode: ApiErrorCode.FORBIDDEN })
  @ApiOperation({
    summary: "The impersonation audit trail of your organization (ADMIN), newest first.",
    description:
      'Events: impersonation.issued, impersonation.redeemed, impersonation.rejected (with `details.why`), impersonation.ended ' +
      '(logout, early end by an admin, expiry, idle timeout, deactivation). Each names the actor, the target, the session, ' +
      "the reason, the time, the client IP and user agent. An impersonated session that passed its limit while unused is " +
      'listed as ended at its limit with `recorded: false` until a request records it. Paginate with `limit` and `offset` ' +
      '(`nextOffset` is null on the last page). Example: GET /api/auth/impersonations?targetUserId=3f0c2a9e-1b7d-4c55-9a8e-6d2f0b1c4e77&limit=20',
  })
  @ApiOkResponse({
    type: ImpersonationEventsPageDto,
    example: {
      items: [
        {
          id: '8d1e5c0a-3b2f-4a6e-9c7d-1f0e2d3c4b5a',
          type: 'impersonation.redeemed',
          occurredAt: '2026-11-01T09:30:12.000Z',
          actor: { id: '0a9b8c7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d', email: 'ops@acme.example' },
          targetUser: { id: '3f0c2a9e-1b7d-4c55-9a8e-6d2f0b1c4e77', email: 'member@acme.example' },
          sessionId: '5e4d3c2b-1a09-4f8e-8d7c-6b5a4f3e2d1c',
          reason: 'Ticket #4821: customer cannot see the March invoices',
          ip: '203.0.113.7',
          userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
          details: { jti: '0b8e7a52-4f0e-4c2b-9d0e-2f4f3b1f2c11' },
          recorded: true,
        },
      ],
      limit: 20,
      offset: 0,
      nextOffset: null,
    },
  })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (limit, offset, ids, type, unknown parameters)' })
  @ApiForbiddenResponse({ description: 'FORBIDDEN (not an ADMIN, or an impersonated session)' })
  @ApiErrors(ApiErrorCode.VALIDATION_FAILED)
  list(@CurrentSession() session: SessionSnapshot, @Query() query: ImpersonationEventsQueryDto): Promise<ImpersonationEventsPageDto> {
    return this.events.list(session, query);
  }

  @Post('impersonations/:sessionId/end')
  @Authenticated({ role: AccessRole.ADMIN, impersonationCode: ApiErrorCode.FORBIDDEN })
  @HttpCode(204)
  @ApiOperation({
    summary: 'End an impersonated session of your organization early (ADMIN).',
    description:
      'Revokes the session: its access token answers 401 SESSION_REVOKED at once on this instance and within 5 s on every ' +
      'other, its refresh token stops working, and an impersonation.ended event with the optional reason is recorded. ' +
      'The session id is `session.id` of the login response, or `sessionId` of the impersonation.redeemed event. ' +
      'Ending a session that has already ended is a no-op (204). Any id that is not an impersonated session of your ' +
      'organization: 404 NOT_FOUND.',
  })
  @ApiParam({ name: 'sessionId', description: 'The impersonated session.', example: '5e4d3c2b-1a09-4f8e-8d7c-6b5a4f3e2d1c' })
  @ApiBody({
    type: ImpersonationReasonDto,
    required: false,
    examples: { withReason: { value: { reason: 'Support call finished' } }, empty: { value: {} } },
  })
  @ApiNoContentResponse({ description: 'The session is ended.' })
  @ApiForbiddenResponse({ description: 'FORBIDDEN (not an ADMIN, or an impersonated session)' })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: no impersonated session with this id in your organization' })
  @ApiErrors(ApiErrorCode.VALIDATION_FAILED, ApiErrorCode.MALFORMED_JSON, ApiErrorCode.NOT_FOUND)
  end(
    @CurrentSession() session: SessionSnapshot,
    @Param('sessionId') sessionId: string,
    @OptionalBody() body: ImpersonationReasonDto,
    @Client() client: ClientContext,
  ): Promise<void> {
    return this.endings.endEarly(session, sessionId, body.reason, client);
  }
}
