import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsUUID } from 'class-validator';
import { AUDIT_EVENT_TYPES, AuditEventType } from '../../audit/audit-event-type';
import { IsOptionalCursor, IsOptionalQueryInt } from '../../platform/http/validators';

export class OrgAuditQuery {
  @ApiPropertyOptional({ enum: AuditEventType, enumName: 'AuditEventType', description: 'Only events of this type.' })
  @IsOptional()
  @IsIn(AUDIT_EVENT_TYPES, { message: 'type must be an audit event type such as user.created' })
  type?: AuditEventType;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only events caused by this user.' })
  @IsOptional()
  @IsUUID('all')
  actorId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only events about this user.' })
  @IsOptional()
  @IsUUID('all')
  targetUserId?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Only events at or after this instant.' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'since must be an ISO 8601 date-time' })
  since?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Only events before this instant.' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'until must be an ISO 8601 date-time' })
  until?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50 })
  @IsOptionalQueryInt(1, 100)
  limit?: number;

  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page.' })
  @IsOptionalCursor()
  cursor?: string;
}

export class AuditPersonDto {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ type: String, nullable: true, example: 'ops@acme.example', description: 'Null once the user was deleted.' })
  email: string | null;
}

export class OrgAuditEventDto {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ example: 'user.deactivated' })
  type: string;
  @ApiProperty({ type: String, format: 'date-time' })
  occurredAt: string;
  @ApiProperty({ type: AuditPersonDto, nullable: true, description: 'Who did it (null: the system, or someone not signed in such as a forgot-password request).' })
  actor: AuditPersonDto | null;
  @ApiProperty({ type: AuditPersonDto, nullable: true, description: 'The admin behind the session, when the action was taken in an impersonated session.' })
  impersonator: AuditPersonDto | null;
  @ApiProperty({ type: AuditPersonDto, nullable: true })
  targetUser: AuditPersonDto | null;
  @ApiProperty({ type: String, nullable: true, example: '203.0.113.7' })
  ip: string | null;
  @ApiProperty({ type: String, nullable: true })
  userAgent: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { sessionsEnded: 2 } })
  details: Record<string, unknown>;
}

export class OrgAuditPageDto {
  @ApiProperty({ type: [OrgAuditEventDto], description: 'Newest first.' })
  items: OrgAuditEventDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page.' })
  nextCursor: string | null;
}
