import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { Clock } from '../../common/clock';
import { ApiErrorCode } from '../../common/errors/api-error-code';
import { apiError } from '../../common/errors/api.exception';
import { AppConfig, InjectConfig } from '../../config/app-config';
import { SessionLivenessService } from '../sessions/session-liveness.service';
import type { AccessTokenClaims } from '../tokens/access-token.service';
import { SigningKeys } from '../tokens/signing-keys.service';
import type { BearerPrincipal } from '../guards/current-session.decorator';
import { audiences, JWT_ALGORITHM } from '../tokens/token-audiences';
import { isUuid } from '../../common/uuid';

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
 * Expiry is judged by the injected Clock, like every other deadline of a
 * session, rather than by jsonwebtoken's own reading of the system time.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    private readonly liveness: SessionLivenessService,
    private readonly clock: Clock,
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
      ignoreExpiration: true,
    });
  }

  async validate(claims: AccessTokenClaims): Promise<BearerPrincipal> {
    if (!isUuid(claims.sid) || typeof claims.sub !== 'string' || typeof claims.exp !== 'number') {
      throw apiError(ApiErrorCode.TOKEN_INVALID);
    }
    if (this.clock.nowMs() >= claims.exp * 1000) throw apiError(ApiErrorCode.TOKEN_EXPIRED);
    const snapshot = await this.liveness.check(claims.sid);
    if (snapshot.userId !== claims.sub) throw apiError(ApiErrorCode.TOKEN_INVALID);
    return { session: snapshot, accessTokenExpiresAtMs: claims.exp * 1000 };
  }
}
