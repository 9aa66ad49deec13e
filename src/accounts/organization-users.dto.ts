import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional, MaxLength } from 'class-validator';
import { IsOptionalQueryInt } from '../platform/http/validators';
import { AdminUserDto, UserStatus } from './dto/admin-user.dto';

export class OrganizationUsersQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 50, description: 'Page size.' })
  @IsOptionalQueryInt(1, 200)
  limit?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, default: 0, description: 'How many users to skip (ordered by email).' })
  @IsOptionalQueryInt(0)
  offset?: number;

  @ApiPropertyOptional({ enum: UserStatus, enumName: 'UserStatus', description: 'Only users with this status.' })
  @IsOptional()
  @IsEnum(UserStatus, { message: 'status must be one of: invited, active, inactive' })
  status?: UserStatus;

  @ApiPropertyOptional({ example: 'mia', maxLength: 100, description: 'Only users whose email, user name or name contains this (case-insensitive).' })
  @IsOptional()
  @MaxLength(100)
  q?: string;
}

export class OrganizationUsersPageDto {
  @ApiProperty({ type: [AdminUserDto] })
  items: AdminUserDto[];
  @ApiProperty({ type: 'integer', example: 12, description: 'Users matching the filters in all.' })
  total: number;
  @ApiProperty({ type: 'integer', example: 50 })
  limit: number;
  @ApiProperty({ type: 'integer', example: 0 })
  offset: number;
}
