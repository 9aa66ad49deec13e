import { ApiProperty } from '@nestjs/swagger';
import { FALLBACK_BEHAVIORS, FallbackBehavior } from '../../identity/organizations/session-policy';
import { IsIntegerInRange, IsOneOf, IsSmallerThan, IsStrictBoolean } from './policy-validators';

export const POLICY_EXAMPLE = {
  enabled: true,
  idleTimeoutMinutes: 15,
  tokenExpiryHours: 8,
  warningTimeMinutes: 2,
  idleTrackingEnabled: true,
  ssoSilentRenewalEnabled: true,
  ssoFallbackBehavior: 'redirect',
  passwordSilentRenewalEnabled: false,
  passwordFallbackBehavior: 'logout',
} as const;

/**
 * The body of PUT /api/organizations/{orgId}/session-policy: all nine fields of
 * `sessionConfig`, every one required, types strict (no strings for numbers or booleans).
 */
export class UpdateSessionPolicyRequest {
  @ApiProperty({ example: true, description: 'Whether the policy is enforced, by the SPA and by the server.' })
  @IsStrictBoolean()
  enabled: boolean;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 1440, example: 15, description: 'Minutes without a request or refresh after which the session ends (SESSION_IDLE_TIMEOUT).' })
  @IsIntegerInRange(1, 1440, 'minutes')
  idleTimeoutMinutes: number;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 720, example: 8, description: 'Lifetime of an access token, in hours.' })
  @IsIntegerInRange(1, 720, 'hours')
  tokenExpiryHours: number;

  @ApiProperty({
    type: 'integer',
    minimum: 0,
    maximum: 60,
    example: 2,
    description: 'Minutes before the idle deadline at which the SPA warns; strictly smaller than idleTimeoutMinutes.',
  })
  @IsIntegerInRange(0, 60, 'minutes')
  @IsSmallerThan('idleTimeoutMinutes', 0, 60)
  warningTimeMinutes: number;

  @ApiProperty({ example: true, description: 'Whether the SPA tracks user input (mouse, keys) to detect idleness.' })
  @IsStrictBoolean()
  idleTrackingEnabled: boolean;

  @ApiProperty({ example: true, description: 'Whether SSO sessions may refresh silently (else 401 SILENT_RENEWAL_DISABLED).' })
  @IsStrictBoolean()
  ssoSilentRenewalEnabled: boolean;

  @ApiProperty({ enum: FALLBACK_BEHAVIORS, enumName: 'FallbackBehavior', example: 'redirect', description: 'What the SPA does when an SSO session cannot renew.' })
  @IsOneOf(FALLBACK_BEHAVIORS)
  ssoFallbackBehavior: FallbackBehavior;

  @ApiProperty({ example: false, description: 'Whether password sessions may refresh silently (else 401 SILENT_RENEWAL_DISABLED).' })
  @IsStrictBoolean()
  passwordSilentRenewalEnabled: boolean;

  @ApiProperty({ enum: FALLBACK_BEHAVIORS, enumName: 'FallbackBehavior', example: 'logout', description: 'What the SPA does when a password session cannot renew.' })
  @IsOneOf(FALLBACK_BEHAVIORS)
  passwordFallbackBehavior: FallbackBehavior;
}

/**
 * The organization's resolved policy: what it stored, the documented defaults for
 * the rest. Exactly the body PUT takes, so a client can GET, change and PUT it back.
 */
export class SessionPolicyDto extends UpdateSessionPolicyRequest {}
