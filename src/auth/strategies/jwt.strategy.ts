import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { ApiErrorCode } from '../../common/errors/api-error-code';
import { apiError } from '../../common/errors/api.exception';
import { AppConfig, InjectConfig } from '../../config/app-config';
import { SessionLivenessService } from '../sessions/session-liveness.service';
import { SessionSnapshot } from '../sessions/session-snapshot';
import type { AccessTokenClaims } from '../tokens/access-token.service';
import { SigningKeys } from '../tokens/signing-keys.service';
import { audiences, JWT_ALGORITHM } from '../tokens/token-audiences';

function headerKid(rawJwt: string): unknown {
  try {
    const header = JSON.parse(Buffer.from(rawJwt.slice(0, rawJwt.indexOf('.')), 'base64url').toString('utf8')) as {
      kid?: unknown;
    };
    return header.kid;
  } catch {
    return null;
  }
}

/**
 * Bearer access tokens: signature (HS256 only: `none` and every other algorithm
 * refused), issuer, the access audience (so impersonation and workspace tokens
 * are refused), expiry; then the session must still be live.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    private readonly liveness: SessionLivenessService,
    keys: SigningKeys,
    @InjectConfig() config: AppConfig,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // A KeyObject, which jsonwebtoken accepts though the typings say string | Buffer.
      secretOrKeyProvider: (_req: unknown, rawJwt: string, done: (err: unknown, key?: string) => void) => {
        const key = keys.verificationKey(headerKid(rawJwt));
        if (key) done(null, key as unknown as string);
        else done(apiError(ApiErrorCode.TOKEN_INVALID));
      },
      algorithms: [JWT_ALGORITHM],
      issuer: config.jwt.issuer,
      audience: audiences(config.jwt.audience).access,
      ignoreExpiration: false,
    });
  }

  async validate(claims: AccessTokenClaims): Promise<SessionSnapshot> {
    if (typeof claims.sid !== 'string' || typeof claims.sub !== 'string') throw apiError(ApiErrorCode.TOKEN_INVALID);
    const snapshot = await this.liveness.check(claims.sid);
    if (snapshot.userId !== claims.sub) throw apiError(ApiErrorCode.TOKEN_INVALID);
    return snapshot;
  }
}
