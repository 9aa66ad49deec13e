import { ApiProperty } from '@nestjs/swagger';
import { UserPayload } from '../../identity/users/user-payload';

/** The answer of POST /api/auth/impersonate/{userId}: a single-use token to redeem at POST /api/auth/login. */
export class ImpersonationTicketDto {
  @ApiProperty({
    description:
      'Single-use JWT (HS256, audience `<JWT_AUDIENCE>:impersonation`, `isImpersonation: true`, the target `sub` and `email`, ' +
      'the admin id in `adm`, a unique `jti`). Redeem it with POST /api/auth/login `{ email, impersonationToken }`. ' +
      'Never accepted as a bearer token.',
    example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6IjNmQTlxWDJrIn0.eyJzdWIiOiI…',
  })
  impersonationToken: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-01T09:32:00.000Z', description: 'When the token stops being redeemable.' })
  expiresAt: string;

  @ApiProperty({ type: UserPayload, description: 'The user to be impersonated (the login body must carry this email).' })
  user: UserPayload;
}
