import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, NotContains } from 'class-validator';
import { IsCleanString, IsOmittable } from '../../../platform/http/validators';

/** base64url of at least 32 random bytes. */
const BROWSER_NONCE = /^[A-Za-z0-9_-]{43,128}$/;

export class SsoAuthorizeQueryDto {
  @ApiProperty({
    example: '64a1b2c3-d4e5-4f60-8123-456789abcdef',
    description: "This service's organization id (the `organizationId` of the user payload), not the WorkOS one.",
  })
  @IsCleanString(100)
  organizationId: string;

  @ApiProperty({
    example: 'http://localhost:5173/auth/callback',
    description:
      'Where WorkOS sends the browser back with `code` and `state`. Must be on SSO_REDIRECT_URIS (exact match); when that is unset, any http://localhost or http://127.0.0.1 address.',
  })
  @IsCleanString(2048)
  redirectUri: string;

  @ApiProperty({
    example: 'q2L0m7V5xkYc3Rr0f1s9b8N4wT6uZ2aH-J_eP5dK7gA',
    description:
      'A random value the browser that starts the sign-in generates (32 random bytes, base64url) and keeps to itself (sessionStorage), presented again at the callback. Only its SHA-256 goes into the state, so a code and state obtained in another browser are refused there (SSO_BROWSER_MISMATCH): nobody can sign a victim into an account of theirs.',
    pattern: BROWSER_NONCE.source,
  })
  @IsString()
  @Matches(BROWSER_NONCE, { message: 'browserNonce must be 43 to 128 characters of A-Z, a-z, 0-9, - and _' })
  browserNonce: string;
}

export class SsoAuthorizeResponseDto {
  @ApiProperty({
    example:
      'https://api.workos.com/user_management/authorize?client_id=client_123&organization_id=org_01ACME&redirect_uri=http%3A%2F%2Flocalhost%3A5173%2Fauth%2Fcallback&response_type=code&state=eyJhbGciOi…',
    description: 'Send the browser here. WorkOS redirects back to redirectUri with `code` and `state` (or `error`).',
  })
  url: string;

  @ApiProperty({
    example: 'eyJhbGciOiJIUzI1NiIsImtpZCI6…',
    description:
      'The signed state inside `url` (also returned here): keep it in sessionStorage and post a callback only when the state WorkOS returns equals it.',
  })
  state: string;

  @ApiProperty({ example: '2026-01-01T12:10:00.000Z', description: 'The state expires after 10 minutes; it can be used once.' })
  expiresAt: string;
}

/** The query parameters WorkOS put on redirectUri, posted as they came. */
export class SsoCallbackDto {
  @ApiPropertyOptional({ example: '01J8Z3V2Q9K3WQ4M5N6P7R8S9T', description: 'The authorization code (success). Exactly one of code or error.' })
  @IsOmittable()
  @IsCleanString(512)
  code?: string;

  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIsImtpZCI6…', description: 'The state from the authorize answer, as WorkOS returned it.' })
  @IsCleanString(4096)
  state: string;

  @ApiPropertyOptional({
    example: 'q2L0m7V5xkYc3Rr0f1s9b8N4wT6uZ2aH-J_eP5dK7gA',
    description:
      'The browserNonce this browser sent to authorize (from its sessionStorage). Required with `code`: missing or not the one the state was started with, the callback answers SSO_BROWSER_MISMATCH and opens no session.',
  })
  @IsOmittable()
  @IsCleanString(128)
  browserNonce?: string;

  @ApiPropertyOptional({ example: 'access_denied', description: "WorkOS's error code when the sign-in did not succeed." })
  @IsOmittable()
  @IsCleanString(100)
  error?: string;

  @ApiPropertyOptional({ example: 'The user cancelled the sign-in.', description: "WorkOS's description of the error (not echoed back)." })
  @IsOmittable()
  @IsString()
  @MaxLength(2000)
  @NotContains('\u0000', { message: 'error_description must not contain NUL characters' })
  error_description?: string;
}
