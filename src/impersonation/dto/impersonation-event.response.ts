import { ApiProperty } from '@nestjs/swagger';
import { ImpersonationEventType } from '../impersonation-audit';

export class AuditUserDto {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ example: 'ops@acme.example', nullable: true, type: String, description: 'Null when the user no longer exists.' })
  email: string | null;
}

/** One entry of the impersonation audit trail. */
export class ImpersonationEventDto {
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'The audit row id; null for an end computed from a session that expired unobserved (`recorded: false`).',
  })
  id: string | null;

  @ApiProperty({ enum: ImpersonationEventType, enumName: 'ImpersonationEventType', example: ImpersonationEventType.Redeemed })
  type: ImpersonationEventType;

  @ApiProperty({ format: 'date-time' })
  occurredAt: string;

  @ApiProperty({
    type: AuditUserDto,
    nullable: true,
    description: 'Who acted: the issuing admin; the impersonating admin for redemptions and logouts; the ending admin for early ends.',
  })
  actor: AuditUserDto | null;

  @ApiProperty({ type: AuditUserDto, nullable: true, description: 'The impersonated user.' })
  targetUser: AuditUserDto | null;

  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The impersonated session (redeemed and ended events).' })
  sessionId: string | null;

  @ApiProperty({ nullable: true, type: String, description: 'The reason the admin gave (issue, early end).' })
  reason: string | null;

  @ApiProperty({ nullable: true, type: String, example: '203.0.113.7', description: 'Client IP of the request that caused the event.' })
  ip: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'Mozilla/5.0 (X11; Linux x86_64)' })
  userAgent: string | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { why: 'already_redeemed', jti: '0b8e7a52-4f0e-4c2b-9d0e-2f4f3b1f2c11' },
    description:
      'issued: `jti`, `expiresAt`. redeemed: `jti`. rejected: `why` (malformed, unknown_key, bad_signature, wrong_algorithm, ' +
      'wrong_issuer, wrong_audience, not_impersonation, expired, email_mismatch, unknown_ticket, ticket_mismatch, ' +
      'already_redeemed, admin_not_allowed, target_not_allowed) and `jti` when known. ended: `endReason` (logout, revoked, expired, ' +
      'idle_timeout, user_deactivated, credentials_changed, refresh_reuse), `impersonatorId`, `endedBy` (`admin` for an early end).',
  })
  details: Record<string, unknown>;

  @ApiProperty({
    description:
      'False for the end of an impersonated session that reached its limit without anyone noticing yet: computed from the ' +
      'session row (occurredAt = its expiry) until a request or refresh records it.',
  })
  recorded: boolean;
}

export class ImpersonationEventsPageDto {
  @ApiProperty({ type: [ImpersonationEventDto], description: 'Newest first.' })
  items: ImpersonationEventDto[];
  @ApiProperty({ type: 'integer', example: 20 })
  limit: number;
  @ApiProperty({ type: 'integer', example: 0 })
  offset: number;
  @ApiProperty({ nullable: true, type: 'integer', example: 20, description: 'The offset of the next page; null on the last page.' })
  nextOffset: number | null;
}
