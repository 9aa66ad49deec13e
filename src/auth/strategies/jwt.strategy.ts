import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Clock } from '../../platform/clock';
import { ApiErrorCode } from '../../platform/errors/api-error-code';
import { apiError } from '../../platform/errors/api.exception';
import { BoundedMap } from '../../platform/bounded-map';
import { isUuid } from '../../platform/uuid';
import { AppConfig, InjectConfig } from '../../platform/config/app-config';
import type { BearerPrincipal } from '../../sessions/current-session.decorator';
import { SessionLivenessService } from '../../sessions/session-liveness.service';
import { verifyHs256 } from '../../tokens/hs256-verifier';
import { SigningKeys } from '../../tokens/signing-keys.service';
import { audiences } from '../../tokens/token-audiences';
import { BearerTokenStrategy } from './bearer-token.strategy';

/**
 * Bearer access tokens: signature (HS256 only: `none` and every other algorithm
 * refused), issuer, the access audience (so impersonation and workspace tokens
 * are refused), expiry; then the session must still be live.
 * Expiry is judged by the injected Clock, like every other deadline of a session.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(BearerTokenStrategy, 'jwt') {
  private readonly issuer: string;
  private readonly audience: string;
  /**
   * Tokens whose signature, issuer and audience were checked, by their exact text: an SPA presents the
   * same token on every request, and decoding plus the HMAC were the largest part of `me`
   * (docs/performance.md). Expiry and liveness are still checked every time. About 0.7 KiB an entry.
   */
  private readonly verified = new BoundedMap<string, Record<string, unknown>>(10_000);

  constructor(
    private readonly liveness: SessionLivenessService,
    private readonly clock: Clock,
    private readonly keys: SigningKeys,
    @InjectConfig() config: AppConfig,
  ) {
    super();
    this.issuer = config.jwt.issuer;
    this.audience = audiences(config.jwt.audience).access;
  }

  async validate(token: string): Promise<BearerPrincipal> {
    const nowMs = this.clock.nowMs();
    const { sid, sub, exp } = this.verifiedClaims(token, nowMs);
    if (!isUuid(sid) || typeof sub !== 'string' || typeof exp !== 'number') throw apiError(ApiErrorCode.TOKEN_INVALID);
    if (nowMs >= exp * 1000) throw apiError(ApiErrorCode.TOKEN_EXPIRED);
    const snapshot = await this.liveness.check(sid);
    if (snapshot.userId !== sub) throw apiError(ApiErrorCode.TOKEN_INVALID);
    return { session: snapshot, accessTokenExpiresAtMs: exp * 1000 };
  }

  private verifiedClaims(token: string, nowMs: number): Record<string, unknown> {
    const cached = this.verified.get(token);
    if (cached) return cached;
    const verified = verifyHs256(token, {
      keyFor: (kid) => this.keys.verificationKey(kid),
      issuer: this.issuer,
      audience: this.audience,
      nowSeconds: Math.floor(nowMs / 1000),
    });
    if (!verified.ok) throw apiError(ApiErrorCode.TOKEN_INVALID);
    this.verified.set(token, verified.claims);
    return verified.claims;
  }
}
