import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Clock } from '../../platform/clock';
import { ConsumedNonce } from './consumed-nonce.entity';
import { ApiErrorCode } from '../../platform/errors/api-error-code';
import { apiError } from '../../platform/errors/api.exception';
import { TokenCodec } from '../../tokens/token-codec';

/** How long a user may spend at the identity provider between authorize and callback. */
export const SSO_STATE_TTL_SECONDS = 600;
const NONCE_PURPOSE = 'sso_state';

export interface SsoState {
  /** This service's organization id the sign-in was started for. */
  organizationId: string;
  jti: string;
}

const invalidState = () =>
  apiError(ApiErrorCode.INVALID_STATE, 'The sign-in state is invalid, expired or already used; start the sign-in again.');

const otherBrowser = () =>
  apiError(ApiErrorCode.SSO_BROWSER_MISMATCH, 'This sign-in was not started in this browser (browserNonce does not match the state); start the sign-in again.');

/** What the state carries of the browser's nonce: its SHA-256, since the state travels in URLs. */
const nonceHash = (browserNonce: string): Buffer => createHash('sha256').update(browserNonce, 'utf8').digest();

/**
 * The OAuth `state` of an SSO sign-in: a JWT with an audience of its own (never
 * an access or impersonation token, and neither of those is ever a state), a
 * 10-minute life, and a `jti` spent at the callback by an INSERT into
 * consumed_nonces: the primary key makes a second use fail, on any instance.
 *
 * It is bound to the browser that started the sign-in: that browser's random
 * `browserNonce` (kept in its sessionStorage) is hashed into the state, and the callback
 * must present it again. A code and state an attacker obtained by signing in at the
 * identity provider themselves, planted on a victim's redirect URI, are refused there
 * (login CSRF): the victim's browser holds another nonce, or none. docs/security.md.
 */
@Injectable()
export class SsoStateService {
  constructor(
    private readonly codec: TokenCodec,
    private readonly clock: Clock,
    @InjectRepository(ConsumedNonce) private readonly nonces: Repository<ConsumedNonce>,
  ) {}

  issue(organizationId: string, browserNonce: string): { state: string; expiresAt: Date } {
    const iat = Math.floor(this.clock.nowMs() / 1000);
    const exp = iat + SSO_STATE_TTL_SECONDS;
    const bnh = nonceHash(browserNonce).toString('base64url');
    const state = this.codec.sign('ssoState', { org: organizationId, jti: randomUUID(), bnh, iat, exp });
    return { state, expiresAt: new Date(exp * 1000) };
  }

  /**
   * Verifies the state, that `browserNonce` is the one it was started with, and spends it.
   * A bad, expired or reused state: 400 INVALID_STATE; another browser's: 400
   * SSO_BROWSER_MISMATCH, and the state stays unspent for the browser it belongs to.
   */
  async consume(state: string, browserNonce: string | undefined): Promise<SsoState> {
    const claims = this.verify(state);
    const expected = Buffer.from(claims.bnh, 'base64url');
    const presented = browserNonce === undefined ? null : nonceHash(browserNonce);
    if (!presented || expected.length !== presented.length || !timingSafeEqual(expected, presented)) throw otherBrowser();
    // Kept a little past the token's own expiry; after that the signature check refuses it anyway.
    const expiresAt = new Date((claims.exp + 60) * 1000);
    const inserted = await this.nonces
      .createQueryBuilder()
      .insert()
      .into(ConsumedNonce)
      .values({ nonce: `${NONCE_PURPOSE}:${claims.jti}`, purpose: NONCE_PURPOSE, expiresAt })
      .orIgnore()
      .returning('nonce')
      .execute();
    if ((inserted.raw as unknown[]).length === 0) throw invalidState();
    return { organizationId: claims.org, jti: claims.jti };
  }

  private verify(state: string): { org: string; jti: string; bnh: string; exp: number } {
    const verdict = this.codec.verify('ssoState', state);
    if (!verdict.ok) throw invalidState();
    const { org, jti, bnh, exp } = verdict.claims;
    // A state without a browser binding (issued before it existed) is no longer honoured.
    if (typeof org !== 'string' || typeof jti !== 'string' || typeof bnh !== 'string') throw invalidState();
    return { org, jti, bnh, exp };
  }
}
