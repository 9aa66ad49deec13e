import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength, NotContains } from 'class-validator';
import { IsOmittable } from '../../platform/http/validators';

/** Why the admin acts: kept in the audit trail (at most 500 characters). */
export class ImpersonationReasonDto {
  @ApiPropertyOptional({
    maxLength: 500,
    example: 'Ticket #4821: customer cannot see the March invoices',
    description: 'Why the admin acts as this user; stored in the audit trail and listed by GET /api/auth/impersonations.',
  })
  @IsOmittable()
  @IsString()
  @MaxLength(500)
  @NotContains('\u0000', { message: 'reason must not contain NUL characters' })
  reason?: string;
}
