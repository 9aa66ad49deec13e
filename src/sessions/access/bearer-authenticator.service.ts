import { Injectable } from '@nestjs/common';
import { ApiErrorCode } from '../../platform/errors/api-error-code';
import { apiError } from '../../platform/errors/api.exception';
import { AccessTokenService } from '../../tokens/access-token.service';
import type { BearerPrincipal } from '../current-session.decorator';
import { SessionLivenessService } from '../session-liveness.service';
import type { TokenAudience } from './access-rule';

/**
 * The bearer check of every private route, for both kinds of bearer token (access and
 * workspace). The token rules are the one codec's (AccessTokenService.verify: signature,
 * `kid`, issuer, the route's audience, so neither kind is accepted for the other and an
 * impersonation token for neither, expiry on the injected clock; verified tokens are
 * remembered by their text there); then the session must still be live, and be the
 * token subject's.
 */
@Injectable()
export class BearerAuthenticator {
  constructor(
    private readonly liveness: SessionLivenessService,
    private readonly accessTokens: AccessTokenService,
  ) {}

  async authenticate(token: string | null, audience: TokenAudience): Promise<BearerPrincipal> {
    if (token === null) throw apiError(ApiErrorCode.TOKEN_INVALID);
    const verified = this.accessTokens.verify(token, audience);
    if (!verified.ok) {
      // A workspace session has one token and ends with it (no refresh): say so with the session's own code.
      if (verified.code === ApiErrorCode.TOKEN_EXPIRED && audience === 'workspace') await this.liveness.check(verified.claims.sid);
      throw apiError(verified.code);
    }
    const { claims, expiresAtMs } = verified;
    const session = await this.liveness.check(claims.sid);
    if (session.userId !== claims.sub) throw apiError(ApiErrorCode.TOKEN_INVALID);
    // A workspace token stands only for a session the workspace login opened.
    if (audience === 'workspace' && session.workspaceId === null) throw apiError(ApiErrorCode.TOKEN_INVALID);
    return { session, accessTokenExpiresAtMs: expiresAtMs, workspaceSlug: audience === 'workspace' ? (claims.wsp as string) : null };
  }
}
