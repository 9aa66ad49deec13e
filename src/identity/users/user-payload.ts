import { ApiProperty } from '@nestjs/swagger';
import { AccessRole, fullNameOf, User } from './user.entity';

/** The seed's compact user payload, returned with tokens and by `me`. */
export class UserPayload {
  @ApiProperty({ example: '5f7b1c2e8a1d4e0012c3b4a5', description: 'User id (opaque).' })
  id: string;

  @ApiProperty({ example: 'admin@acme.example' })
  email: string;

  @ApiProperty({ example: 'Acme Admin', description: 'First and last name joined.' })
  fullName: string;

  @ApiProperty({ example: '64a1b2c3d4e5f60012345678', description: 'Organization id (opaque).' })
  organizationId: string;

  @ApiProperty({ enum: AccessRole, enumName: 'AccessRole', example: AccessRole.ADMIN })
  accessRole: AccessRole;

  @ApiProperty({ example: 'split' })
  conversationOpenPreference: string;
}

export const toUserPayload = (
  u: Pick<User, 'id' | 'email' | 'firstName' | 'lastName' | 'organizationId' | 'accessRole' | 'conversationOpenPreference'>,
): UserPayload => ({
  id: u.id,
  email: u.email,
  fullName: fullNameOf(u),
  organizationId: u.organizationId,
  accessRole: u.accessRole,
  conversationOpenPreference: u.conversationOpenPreference,
});
