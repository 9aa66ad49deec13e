import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { IMPERSONATION_EVENT_TYPES, ImpersonationEventType } from '../impersonation-audit';
import { IsOptionalQueryInt } from '../../platform/http/validators';

/** Query strings are strings: only plain decimal digits become numbers, anything else fails validation. */
export class ImpersonationEventsQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20, description: 'Page size.' })
  @IsOptionalQueryInt(1, 100)
  limit?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 100000, default: 0, description: 'Events to skip (use `nextOffset` of the previous page).' })
  @IsOptionalQueryInt(0, 100000)
  offset?: number;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only events about this impersonated user.' })
  @IsOptional()
  @IsUUID('all')
  targetUserId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only events of impersonations by this admin (as actor or as impersonator).' })
  @IsOptional()
  @IsUUID('all')
  adminId?: string;

  @ApiPropertyOptional({ enum: ImpersonationEventType, enumName: 'ImpersonationEventType', description: 'Only events of this type.' })
  @IsOptional()
  @IsIn(IMPERSONATION_EVENT_TYPES)
  type?: ImpersonationEventType;
}
