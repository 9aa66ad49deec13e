import { Injectable } from '@nestjs/common';
import { BoundedMap } from '../../platform/bounded-map';
import { Clock } from '../../platform/clock';
import { AppConfig, InjectConfig } from '../../platform/config/app-config';
import { ApiErrorCode } from '../../platform/errors/api-error-code';
import { apiError } from '../../platform/errors/api.exception';
import { isUuid } from '../../platform/uuid';
import { verifyHs256 } from '../../tokens/hs256-verifier';
import { SigningKeys } from '../../tokens/signing-keys.service';
import { audiences } from '../../tokens/token-audiences';
import type { BearerPrincipal } from '../current-session.decorator';
import { SessionLivenessService } from '../session-liveness.service';
import type { TokenAudience } from './access-rule';

/**
 * The bearer check of every private route, for both kinds of bearer token (access and
 * workspace): signature, issuer, the route's audience (so neither is accepted for the
 * other, and an impersonation token for neither), expiry on the injected clock; then the
 * session must still be live, and be the token subject's.
 */
@Injectable()
export class BearerAuthenticator {
  private readonly issuer: string;
  private readonly audience: Record<TokenAudience, string>;
  /**
   * Tokens whose signature, issuer and audience were checked, by their exact text: an SPA
   * presents the same token on every request, and decoding plus the HMAC were the largest
   * part of `me` (docs/performance.md). Expiry and liveness are still checked every time.
   * About 0.7 KiB an entry.
   */
  private readonly verified: Record<TokenAudience, BoundedMap<string, Record<string, unknown>>> = {
    access: new BoundedMap(10_000),
    workspace: new BoundedMap(2_000),
  };

  constructor(
    private readonly liveness: SessionLivenessService,
    private readonly clock: Clock,
    private readonly keys: SigningKeys,
    @InjectConfig() config: AppConfig,
  ) {
    this.issuer = config.jwt.issuer;
    const all = audiences(config.jwt.audience);
    this.audience = { access: all.access, workspace: all.workspace };
  }

  async authenticate(token: string | null, audience: TokenAudience): Promise<BearerPrincipal> {
    if (token === null) throw apiError(ApiErrorCode.TOKEN_INVALID);
    const nowMs = this.clock.nowMs();
    const { sid, sub, exp, wsp } = this.verifiedClaims(token, audience, nowMs);
    if (!isUuid(sid) || typeof sub !== 'string' || typeof exp !== 'number') throw apiError(ApiErrorCode.TOKEN_INVALID);
    if (audience === 'workspace' && typeof wsp !== 'string') throw apiError(ApiErrorCode.TOKEN_INVALID);
    if (nowMs >= exp * 1000) {
      // A workspace session has one token and ends with it (no refresh): say so with the session's own code.
      if (audience === 'workspace') await this.liveness.check(sid);
      throw apiError(ApiErrorCode.TOKEN_EXPIRED);
    }
    const session = await this.liveness.check(sid);
    if (session.userId !== sub) throw apiError(ApiErrorCode.TOKEN_INVALID);
    // A workspace token stands only for a session the workspace login opened.
    if (audience === 'workspace' && session.workspaceId === null) throw apiError(ApiErrorCode.TOKEN_INVALID);
    return { session, accessTokenExpiresAtMs: exp * 1000, workspaceSlug: audience === 'workspace' ? (wsp as string) : null };
  }

  private verifiedClaims(token: string, audience: TokenAudience, nowMs: number): Record<string, unknown> {
    const cache = this.verified[audience];
    const cached = cache.get(token);
    if (cached) return cached;
    const verified = verifyHs256(token, {
      keyFor: (kid) => this.keys.verificationKey(kid),
      issuer: this.issuer,
      audience: this.audience[audience],
      nowSeconds: Math.floor(nowMs / 1000),
    });
    if (!verified.ok) throw apiError(ApiErrorCode.TOKEN_INVALID);
    cache.set(token, verified.claims);
    return verified.claims;
  }
}
