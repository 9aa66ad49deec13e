import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, MaxLength, MinLength, NotContains } from 'class-validator';
import { IsCleanString, IsOmittable } from '../../platform/http/validators';

/** Provide either password or impersonationToken with email. */
export class LoginDto {
  @ApiProperty({
    format: 'email',
    example: 'ops@acme.example',
    description: 'Login email; used to look up the user before credential check.',
  })
  // Emails are compared after trimming (src/identity/users/normalize.ts), so surrounding blanks are not a format error.
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsCleanString(254)
  @IsEmail({}, { message: 'email must be an email address' })
  email: string;

  @ApiPropertyOptional({
    example: 'CorrectHorseBatteryStaple!',
    description:
      'Plain-text password; verified via WorkOS when the user is migrated, otherwise via the local bcrypt hash. Mutually exclusive with impersonationToken.',
  })
  @IsOmittable()
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password?: string;

  @ApiPropertyOptional({
    example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…',
    description:
      'Single-use JWT issued by /api/auth/impersonate/{userId}; must carry the isImpersonation flag and match email. Mutually exclusive with password.',
  })
  @IsOmittable()
  @IsCleanString(4096)
  impersonationToken?: string;
}

export class RefreshDto {
  @ApiPropertyOptional({
    example: 'rt_64d2f9c5e8a1d4e001a0b1c2e6f7a8b9',
    description: 'The refresh token from the last login or refresh. Required, unless REFRESH_TOKEN_COOKIE=true and the refresh cookie carries it.',
  })
  @IsOmittable()
  @IsString()
  @MaxLength(256)
  @NotContains('\u0000', { message: 'refreshToken must not contain NUL characters' })
  refreshToken?: string;
}
