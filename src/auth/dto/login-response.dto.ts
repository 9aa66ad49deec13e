import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FALLBACK_BEHAVIORS, FallbackBehavior } from '../../identity/organizations/session-policy';
import { UserPayload } from '../../identity/users/user-payload';
import { SessionMethod } from '../../sessions/session.entity';

/**
 * Resolved session configuration returned alongside tokens. Mirrors the
 * org-level idle-timeout / SSO renewal policy so the client can enforce it.
 */
export class SessionConfigDto {
  @ApiProperty({ example: true, description: 'Whether the policy is enforced (by the SPA and by the server).' })
  enabled: boolean;
  @ApiProperty({ example: 30, minimum: 1, maximum: 1440, description: 'Minutes without activity after which the session ends.' })
  idleTimeoutMinutes: number;
  @ApiProperty({ example: 8, minimum: 1, maximum: 720, description: 'Lifetime of an access token, in hours.' })
  tokenExpiryHours: number;
  @ApiProperty({ example: 2, minimum: 0, maximum: 60, description: 'Minutes before the idle deadline at which the SPA warns.' })
  warningTimeMinutes: number;
  @ApiProperty({ example: true, description: 'Whether the SPA tracks user input for idleness.' })
  idleTrackingEnabled: boolean;
  @ApiProperty({ example: true, description: 'Whether SSO sessions may refresh silently.' })
  ssoSilentRenewalEnabled: boolean;
  @ApiProperty({ enum: FALLBACK_BEHAVIORS, example: 'redirect', description: 'What the SPA does when an SSO session cannot renew.' })
  ssoFallbackBehavior: FallbackBehavior;
  @ApiProperty({ example: false, description: 'Whether password sessions may refresh silently.' })
  passwordSilentRenewalEnabled: boolean;
  @ApiProperty({ enum: FALLBACK_BEHAVIORS, example: 'logout', description: 'What the SPA does when a password session cannot renew.' })
  passwordFallbackBehavior: FallbackBehavior;
}

/** Server-computed deadlines (additive to the seed): every tab counts down from the same numbers. */
export class SessionInfoDto {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ enum: SessionMethod, enumName: 'SessionMethod', description: 'How the session was opened.' })
  method: SessionMethod;
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
  @ApiProperty({ format: 'date-time', description: 'Absolute limit; refresh never extends a session past it.' })
  expiresAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Idle deadline as of this response; null when the policy is disabled.' })
  idleExpiresAt: string | null;
  @ApiProperty({ format: 'date-time', description: 'When the access token expires: the one in this response (login, refresh), or the one the request carried (me).' })
  accessTokenExpiresAt: string;
  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'When the session last proved a second factor (the login\'s second step or POST /api/auth/mfa/step-up); null if it never did.',
  })
  mfaAt: string | null;
}

/**
 * Returned by /api/auth/login and POST /api/auth/workos/callback on success.
 * Contains access + refresh tokens, session config, and the resolved user.
 */
export class LoginResponseDto {
  @ApiProperty({ description: 'JWT access token.', example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1c2VySWQiOiI1Zjdi...' })
  token: string;
  @ApiProperty({
    example: 'rt_64d2f9c5e8a1d4e001a0b1c2e6f7a8b9',
    description:
      '`rt_` + 32 hex characters; single use, rotated on refresh. Left out only where the deployment chose REFRESH_TOKEN_IN_BODY=false (the token then travels in the refresh cookie alone).',
  })
  refreshToken: string;
  @ApiProperty({ type: SessionConfigDto })
  sessionConfig: SessionConfigDto;
  @ApiProperty({ type: UserPayload, description: 'Compact User payload returned with auth tokens.' })
  user: UserPayload;
  @ApiProperty({ type: SessionInfoDto })
  session: SessionInfoDto;
}

export class ImpersonatorDto {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ example: 'admin@acme.example' })
  email: string;
}

export class MeResponseDto {
  @ApiProperty({ type: UserPayload })
  user: UserPayload;
  @ApiProperty({ type: SessionConfigDto })
  sessionConfig: SessionConfigDto;
  @ApiProperty({ type: SessionInfoDto })
  session: SessionInfoDto;
  @ApiPropertyOptional({ type: ImpersonatorDto, nullable: true, description: 'The admin behind an impersonated session; null otherwise.' })
  impersonator: ImpersonatorDto | null;
}
