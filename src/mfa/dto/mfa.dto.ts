import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { IsCleanString, IsOmittable } from '../../platform/http/validators';
import { MFA_POLICIES, MfaPolicy } from '../mfa-policy';

export const TOTP_SECRET_EXAMPLE = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
export const RECOVERY_CODES_EXAMPLE = ['7kq2m-x9d4h', 'p3vza-8tn6c', 'h2f7w-k4m9r', 'c8x3q-2jn5v', 'z6b4t-w7p2k', 'm9r5d-3hx8f', 'q4n7c-v2z6t', 'w8k3p-5f9bx', 'd2h6m-r7q4n', 't5v9z-c3k8w'];

export class TotpEnrollmentDto {
  @ApiProperty({ example: TOTP_SECRET_EXAMPLE, description: 'The base32 secret, for typing into an authenticator app by hand. Shown only in this answer.' })
  secret: string;
  @ApiProperty({
    example: `otpauth://totp/authgate:ada%40acme.example?secret=${TOTP_SECRET_EXAMPLE}&issuer=authgate&algorithm=SHA1&digits=6&period=30`,
    description: 'The otpauth URI (RFC 6238: SHA-1, 6 digits, 30 s) to show as a QR code.',
  })
  otpauthUri: string;
}

export class RecoveryCodesDto {
  @ApiProperty({ type: [String], example: RECOVERY_CODES_EXAMPLE, description: '10 single-use recovery codes. Shown only in this answer; stored hashed.' })
  recoveryCodes: string[];
}

export class MfaCodeRequest {
  @ApiProperty({ example: '492039', description: 'A current code of the authenticator app (six digits).' })
  @IsCleanString(64)
  code: string;
}

export class MfaProofRequest {
  @ApiProperty({ example: '492039', description: 'A current code of the authenticator app (six digits), or one of the recovery codes.' })
  @IsCleanString(64)
  code: string;
}

export class MfaPolicyDto {
  @ApiProperty({ enum: MFA_POLICIES, example: 'admins', description: 'Who must have a second factor: nobody, the ADMINs, or everyone.' })
  @IsIn(MFA_POLICIES)
  required: MfaPolicy;
}

/** The `mfa` object of a 403 MFA_REQUIRED / MFA_ENROLLMENT_REQUIRED answer. */
export class MfaPendingDto {
  @ApiProperty({ example: 'mfa_q2Vt0Jb8bVbq2cV0Y0F6Xr8Xh2o1xQ4uZk7H1m3T9aE', description: 'Opaque, single use, lives 5 minutes, dies after 5 wrong codes.' })
  token: string;
  @ApiProperty({ type: [String], example: ['totp'], description: 'The factors the second step accepts.' })
  factors: string[];
  @ApiProperty({ format: 'date-time' })
  expiresAt: string;
}

export class MfaRequiredErrorDto {
  @ApiProperty({ example: 403 })
  statusCode: number;
  @ApiProperty({ example: 'MFA_REQUIRED', enum: ['MFA_REQUIRED', 'MFA_ENROLLMENT_REQUIRED'] })
  code: string;
  @ApiProperty({ example: 'A second factor is required to finish signing in.' })
  message: string;
  @ApiProperty({ type: MfaPendingDto })
  mfa: MfaPendingDto;
}

export class MfaLoginRequest {
  @ApiProperty({ example: 'mfa_q2Vt0Jb8bVbq2cV0Y0F6Xr8Xh2o1xQ4uZk7H1m3T9aE', description: 'The `mfa.token` of the 403 answer.' })
  @IsCleanString(200)
  mfaToken: string;

  @ApiPropertyOptional({ example: '492039', description: 'A current code of the authenticator app. Exactly one of code and recoveryCode.' })
  @IsOmittable()
  @IsCleanString(64)
  code?: string;

  @ApiPropertyOptional({ example: '7kq2m-x9d4h', description: 'One of the recovery codes; each works once. Exactly one of code and recoveryCode.' })
  @IsOmittable()
  @IsCleanString(64)
  recoveryCode?: string;
}

export class MfaTokenRequest {
  @ApiProperty({ example: 'mfa_q2Vt0Jb8bVbq2cV0Y0F6Xr8Xh2o1xQ4uZk7H1m3T9aE', description: 'The `mfa.token` of the 403 MFA_ENROLLMENT_REQUIRED answer.' })
  @IsCleanString(200)
  mfaToken: string;
}

export class EmailVerificationRequest {
  @ApiProperty({ example: 'mfa_V7p0cX2nq8Jr4Hk1bT6sYw3Zd9Lm5Fa0Ue2Gi8Oj4Qe', description: 'The `verification.token` of the 403 EMAIL_VERIFICATION_REQUIRED answer.' })
  @IsCleanString(200)
  token: string;

  @ApiProperty({ example: '123456', description: 'The code WorkOS emailed to the user.' })
  @IsCleanString(64)
  code: string;
}
