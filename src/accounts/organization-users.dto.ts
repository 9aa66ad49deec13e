import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { AccessRole } from '../identity/users/user.entity';
import { toInt } from '../platform/http/validators';

export class OrganizationUsersQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50, description: 'Page size.' })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ minimum: 0, default: 0, description: 'How many users to skip (ordered by email).' })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  offset?: number;
}

/** One user of the organization, as an admin's user picker needs it. */
export class OrganizationUserDto {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ example: 'member@acme.example' })
  email: string;
  @ApiProperty({ example: 'Mia Member' })
  fullName: string;
  @ApiProperty({ enum: AccessRole, enumName: 'AccessRole', example: AccessRole.MEMBER })
  accessRole: AccessRole;
  @ApiProperty({ example: true, description: 'Inactive users cannot sign in (nor be impersonated).' })
  active: boolean;
}

export class OrganizationUsersPageDto {
  @ApiProperty({ type: [OrganizationUserDto] })
  items: OrganizationUserDto[];
  @ApiProperty({ example: 12, description: 'Users of the organization in all.' })
  total: number;
  @ApiProperty({ example: 50 })
  limit: number;
  @ApiProperty({ example: 0 })
  offset: number;
}
