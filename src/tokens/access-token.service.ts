import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig, InjectConfig } from '../platform/config/app-config';
import { AccessRole } from '../identity/users/user.entity';
import { audiences, JWT_ALGORITHM } from './token-audiences';
import { SigningKeys } from './signing-keys.service';

/** The claims of an access token, as the contract lists them. */
export interface AccessTokenClaims {
  sub: string;
  sid: string;
  org: string;
  role: AccessRole;
  /** Present on impersonated sessions: the admin acting as `sub`. */
  act?: { sub: string };
  /** Present on workspace-scoped tokens: the workspace slug. */
  wsp?: string;
  iss: string;
  aud: string;
  iat: number;
  exp: number;
}

const issuedAtSeconds = (issuedAt: Date): number => Math.floor(issuedAt.getTime() / 1000);

/** The `exp` (in ms) that `AccessTokenService.sign` gives a token issued at `issuedAt`. */
export const accessTokenExpiryMs = (issuedAt: Date, lifetimeSeconds: number): number =>
  (issuedAtSeconds(issuedAt) + lifetimeSeconds) * 1000;

export interface AccessTokenInput {
  userId: string;
  sessionId: string;
  organizationId: string;
  role: AccessRole;
  impersonatorId?: string | null;
  workspace?: string;
  issuedAt: Date;
  lifetimeSeconds: number;
}

@Injectable()
export class AccessTokenService {
  private readonly aud: ReturnType<typeof audiences>;

  constructor(
    private readonly jwt: JwtService,
    private readonly keys: SigningKeys,
    @InjectConfig() private readonly config: AppConfig,
  ) {
    this.aud = audiences(config.jwt.audience);
  }

  /** `exp − iat` is exactly `lifetimeSeconds`: iat is set explicitly, not by the library's clock. */
  sign(input: AccessTokenInput): string {
    const iat = issuedAtSeconds(input.issuedAt);
    const claims: Record<string, unknown> = {
      sub: input.userId,
      sid: input.sessionId,
      org: input.organizationId,
      role: input.role,
      iat,
      exp: iat + input.lifetimeSeconds,
    };
    if (input.impersonatorId) claims.act = { sub: input.impersonatorId };
    if (input.workspace) claims.wsp = input.workspace;
    return this.jwt.sign(claims, {
      algorithm: JWT_ALGORITHM,
      secret: this.keys.signingKey() as unknown as string,
      keyid: this.keys.currentKid,
      issuer: this.config.jwt.issuer,
      audience: input.workspace ? this.aud.workspace : this.aud.access,
    });
  }
}
