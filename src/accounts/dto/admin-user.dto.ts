import { ApiProperty } from '@nestjs/swagger';
import { AccessRole } from '../../identity/users/user.entity';

export enum UserStatus {
  Invited = 'invited',
  Active = 'active',
  Inactive = 'inactive',
}

/** A user as an admin of their organization sees them. */
export class AdminUserDto {
  @ApiProperty({ format: 'uuid', example: '1d7a4c5e-2f3b-4a6c-9d8e-0f1a2b3c4d5e' })
  id: string;
  @ApiProperty({ example: 'mia@acme.example' })
  email: string;
  @ApiProperty({ type: String, nullable: true, example: 'mia' })
  userName: string | null;
  @ApiProperty({ example: 'Mia' })
  firstName: string;
  @ApiProperty({ example: 'Member' })
  lastName: string;
  @ApiProperty({ example: 'Mia Member' })
  fullName: string;
  @ApiProperty({ enum: AccessRole, enumName: 'AccessRole', example: AccessRole.MEMBER })
  accessRole: AccessRole;
  @ApiProperty({
    enum: UserStatus,
    enumName: 'UserStatus',
    example: UserStatus.Active,
    description: '`invited`: has not accepted the invitation yet (no password); `inactive`: deactivated by an admin, cannot sign in.',
  })
  status: UserStatus;
  @ApiProperty({ example: true, description: 'False once deactivated (then `status` is `inactive`).' })
  active: boolean;
  @ApiProperty({ example: false, description: 'WorkOS verifies this user\'s password (then password changes and resets answer 409).' })
  migrated: boolean;
  @ApiProperty({ example: false })
  mfaEnabled: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2026-12-01T09:30:00.000Z', description: 'The latest sign-in of the user themselves (impersonations not counted).' })
  lastLoginAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-02T12:00:00.000Z' })
  createdAt: string;
}

export class InvitationInfoDto {
  @ApiProperty({ type: String, format: 'date-time', example: '2026-12-08T12:00:00.000Z', description: 'When the link stops working.' })
  expiresAt: string;
}

export class CreatedUserDto {
  @ApiProperty({ type: AdminUserDto })
  user: AdminUserDto;
  @ApiProperty({ type: InvitationInfoDto })
  invitation: InvitationInfoDto;
}
