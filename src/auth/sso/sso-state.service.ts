import { randomUUID } from 'node:crypto';
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

/**
 * The OAuth `state` of an SSO sign-in: a JWT with an audience of its own (never
 * an access or impersonation token, and neither of those is ever a state), a
 * 10-minute life, and a `jti` spent at the callback by an INSERT into
 * consumed_nonces: the primary key makes a second use fail, on any instance.
 */
@Injectable()
export class SsoStateService {
  constructor(
    private readonly codec: TokenCodec,
    private readonly clock: Clock,
    @InjectRepository(ConsumedNonce) private readonly nonces: Repository<ConsumedNonce>,
  ) {}

  issue(organizationId: string): { state: string; expiresAt: Date } {
    const iat = Math.floor(this.clock.nowMs() / 1000);
    const exp = iat + SSO_STATE_TTL_SECONDS;
    const state = this.codec.sign('ssoState', { org: organizationId, jti: randomUUID(), iat, exp });
    return { state, expiresAt: new Date(exp * 1000) };
  }

  /** Verifies the state and spends it. Any problem, including a second use: 400 INVALID_STATE. */
  async consume(state: string): Promise<SsoState> {
    const claims = this.verify(state);
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

  private verify(state: string): { org: string; jti: string; exp: number } {
    const verdict = this.codec.verify('ssoState', state);
    if (!verdict.ok) throw invalidState();
    const { org, jti, exp } = verdict.claims;
    if (typeof org !== 'string' || typeof jti !== 'string') throw invalidState();
    return { org, jti, exp };
  }
}
