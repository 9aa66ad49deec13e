import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, MaxLength, MinLength, NotContains } from 'class-validator';
import { IsCleanString } from '../../platform/http/validators';

/**
 * A new password as typed. The rules themselves (length, common passwords, the
 * owner's identifiers) answer WEAK_PASSWORD with reasons; this only refuses what
 * is not a password at all. NUL is refused: bcrypt would confuse `p\0p` with `p`.
 */
const IsNewPassword = () => (target: object, key: string) => {
  IsString()(target, key);
  MinLength(1)(target, key);
  MaxLength(1024)(target, key);
  NotContains('\u0000', { message: `${key} must not contain NUL characters` })(target, key);
};

export class ChangePasswordRequest {
  @ApiProperty({ example: 'CorrectHorseBatteryStaple!' })
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  currentPassword: string;

  @ApiProperty({ example: 'purple elephant rides the tram', description: 'At least 12 characters, at most 72 bytes in UTF-8, not a common password, not your email or user name.' })
  @IsNewPassword()
  newPassword: string;
}

export class ForgotPasswordRequest {
  @ApiProperty({ format: 'email', example: 'mia@acme.example' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsCleanString(254)
  @IsEmail({}, { message: 'email must be an email address' })
  email: string;
}

export class ResetPasswordRequest {
  @ApiProperty({ example: 'q3Jk1m5N9v0cXw2sT8yZ4aB6dF7gH1jK3lM5nP7rS9u', description: 'The `token` of the reset or invitation link.' })
  @IsCleanString(256)
  token: string;

  @ApiProperty({ example: 'purple elephant rides the tram', description: 'At least 12 characters, at most 72 bytes in UTF-8, not a common password, not your email or user name.' })
  @IsNewPassword()
  newPassword: string;
}
