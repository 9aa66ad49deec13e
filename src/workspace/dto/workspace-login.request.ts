import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsString, Matches, MaxLength, MinLength, NotContains } from 'class-validator';

/** The validation codes a field can get in the envelope (`Type: 0`). */
export type FieldCode = 'Required' | 'InvalidType' | 'TooLong' | 'InvalidCharacters';

/** A constraint's client-facing code travels in class-validator's `context`. */
const as = (code: FieldCode, message: string, metadata?: Record<string, string>) => ({ context: { code, metadata }, message });

export const USER_NAME_OR_EMAIL_MAX = 254;
export const PASSWORD_MAX = 1024;

/** Request payload to authenticate a workspace user. */
export class WorkspaceLoginRequest {
  @ApiProperty({
    description: 'Workspace user name or email address. Containing `@`: matched against emails only; otherwise against user names only. Case-insensitive.',
    example: 'ops@acme.example',
    maxLength: USER_NAME_OR_EMAIL_MAX,
  })
  @IsDefined(as('Required', 'UserNameOrEmail is required.'))
  @IsString(as('InvalidType', 'UserNameOrEmail must be a string.'))
  @Matches(/\S/, as('Required', 'UserNameOrEmail is required.'))
  @MaxLength(USER_NAME_OR_EMAIL_MAX, as('TooLong', `UserNameOrEmail must be at most ${USER_NAME_OR_EMAIL_MAX} characters.`, {
    MaxLength: String(USER_NAME_OR_EMAIL_MAX),
  }))
  @NotContains('\u0000', as('InvalidCharacters', 'UserNameOrEmail must not contain NUL characters.'))
  UserNameOrEmail: string;

  @ApiProperty({ description: 'Account password.', example: 'CorrectHorseBatteryStaple!', maxLength: PASSWORD_MAX })
  @IsDefined(as('Required', 'Password is required.'))
  @IsString(as('InvalidType', 'Password must be a string.'))
  @MinLength(1, as('Required', 'Password is required.'))
  @MaxLength(PASSWORD_MAX, as('TooLong', `Password must be at most ${PASSWORD_MAX} characters.`, { MaxLength: String(PASSWORD_MAX) }))
  Password: string;
}
