import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsEnum, NotContains } from 'class-validator';
import { AccessRole } from '../../identity/users/user.entity';
import { IsCleanString, IsOmittable } from '../../platform/http/validators';

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** A user name is never mistaken for an email: no `@`. */
const IsUserName = () => (target: object, key: string) => {
  IsCleanString(254)(target, key);
  NotContains('@', { message: 'userName must not contain "@"' })(target, key);
};

export class CreateUserRequest {
  @ApiProperty({ format: 'email', example: 'new.colleague@acme.example', description: 'Compared case-insensitively after trimming; unique across all organizations.' })
  @Transform(trimmed)
  @IsCleanString(254)
  @IsEmail({}, { message: 'email must be an email address' })
  email: string;

  @ApiProperty({ example: 'Nia', maxLength: 100 })
  @Transform(trimmed)
  @IsCleanString(100)
  firstName: string;

  @ApiProperty({ example: 'Newcomer', maxLength: 100 })
  @Transform(trimmed)
  @IsCleanString(100)
  lastName: string;

  @ApiPropertyOptional({ example: 'nia', description: 'Unique (case-insensitive), no "@".' })
  @IsOmittable()
  @Transform(trimmed)
  @IsUserName()
  userName?: string;

  @ApiPropertyOptional({ enum: AccessRole, enumName: 'AccessRole', description: 'MEMBER when left out.' })
  @IsOmittable()
  @IsEnum(AccessRole, { message: 'accessRole must be one of: ADMIN, MEMBER' })
  accessRole?: AccessRole;

  @ApiPropertyOptional({ example: 'split', maxLength: 50, description: '"split" when left out.' })
  @IsOmittable()
  @IsCleanString(50)
  conversationOpenPreference?: string;
}

export class UpdateUserRequest {
  @ApiPropertyOptional({ example: 'Mia', maxLength: 100 })
  @IsOmittable()
  @Transform(trimmed)
  @IsCleanString(100)
  firstName?: string;

  @ApiPropertyOptional({ example: 'Member', maxLength: 100 })
  @IsOmittable()
  @Transform(trimmed)
  @IsCleanString(100)
  lastName?: string;

  @ApiPropertyOptional({ example: 'mia', description: 'Unique (case-insensitive), no "@".' })
  @IsOmittable()
  @Transform(trimmed)
  @IsUserName()
  userName?: string;

  @ApiPropertyOptional({ enum: AccessRole, enumName: 'AccessRole' })
  @IsOmittable()
  @IsEnum(AccessRole, { message: 'accessRole must be one of: ADMIN, MEMBER' })
  accessRole?: AccessRole;

  @ApiPropertyOptional({ example: false, description: 'false: deactivate (every session ends at once); true: reactivate.' })
  @IsOmittable()
  @IsBoolean()
  active?: boolean;
}
