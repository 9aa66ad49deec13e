import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { SessionLivenessService } from '../../sessions/session-liveness.service';
import type { AccessTokenClaims } from '../../tokens/access-token.service';
import { SigningKeys } from '../../tokens/signing-keys.service';
import { audiences, JWT_ALGORITHM } from '../../tokens/token-audiences';
import { ApiErrorCode } from '../../platform/errors/api-error-code';
import { apiError } from '../../platform/errors/api.exception';
import { AppConfig, InjectConfig } from '../../platform/config/app-config';
import { WorkspaceSession } from './workspace-session';

function headerKid(rawJwt: string): unknown {
  try {
    const header = JSON.parse(Buffer.from(rawJwt.slice(0, rawJwt.indexOf('.')), 'base64url').toString('utf8')) as { kid?: unknown };
    return header.kid;
  } catch {
    return null;
  }
}

/**
 * Workspace bearer tokens: same keys, algorithm and issuer as access tokens, but
 * only the workspace audience (so an `/api/auth` access token is refused here,
 * as a workspace token is refused there), a `wsp` claim, and a live session that
 * was opened for a workspace.
 */
@Injectable()
export class WorkspaceJwtStrategy extends PassportStrategy(Strategy, 'workspace-jwt') {
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
      audience: audiences(config.jwt.audience).workspace,
      ignoreExpiration: false,
    });
  }

  async validate(claims: AccessTokenClaims): Promise<WorkspaceSession> {
    if (typeof claims.sid !== 'string' || typeof claims.sub !== 'string' || typeof claims.wsp !== 'string') {
      throw apiError(ApiErrorCode.TOKEN_INVALID);
    }
    const snapshot = await this.liveness.check(claims.sid);
    if (snapshot.userId !== claims.sub || snapshot.workspaceId === null) throw apiError(ApiErrorCode.TOKEN_INVALID);
    return { snapshot: { ...snapshot, workspaceId: snapshot.workspaceId }, workspaceSlug: claims.wsp };
  }
}
