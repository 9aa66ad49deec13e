import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../platform/clock';
import { ApiErrorCode } from '../platform/errors/api-error-code';
import { apiError } from '../platform/errors/api.exception';
import { SecretBox } from './crypto/secret-box';
import { MfaChallengePurpose } from './mfa-login-challenge.entity';
import { ChallengeRow, MfaRepository } from './mfa.repository';

/** How long a login's second-step token lives: 5 minutes (docs/mfa.md). */
export const MFA_TOKEN_TTL_MS = 5 * 60_000;
const TOKEN_PREFIX = 'mfa_';

export interface IssuedChallenge {
  token: string;
  expiresAt: Date;
}

/** A live challenge, with WorkOS's pending authentication opened when there is one. */
export interface LiveChallenge<S = unknown> extends Omit<ChallengeRow, 'providerState'> {
  providerState: S | null;
}

const hashToken = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();
/** The sealed provider state belongs to one challenge row: its context is the token hash. */
const stateContext = (tokenHash: Buffer): string => `mfa-challenge:${tokenHash.toString('base64url')}`;

/**
 * The opaque, single-use tokens between a correct password and the second step:
 * `mfa_` + 256 random bits, stored only as a SHA-256. Any problem with a token
 * (unknown, expired, used, killed by the fifth wrong code) is 401
 * MFA_TOKEN_INVALID, so a client cannot tell which.
 */
@Injectable()
export class MfaChallenges {
  constructor(
    private readonly repository: MfaRepository,
    private readonly box: SecretBox,
    private readonly clock: Clock,
  ) {}

  async issue(userId: string, purpose: MfaChallengePurpose, providerState?: unknown): Promise<IssuedChallenge> {
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const tokenHash = hashToken(token);
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + MFA_TOKEN_TTL_MS);
    await this.repository.createChallenge({
      tokenHash,
      userId,
      purpose,
      now,
      expiresAt,
      providerState: providerState === undefined ? null : this.box.seal(JSON.stringify(providerState), stateContext(tokenHash)),
    });
    return { token, expiresAt };
  }

  /** The live challenge of `token` for one of `purposes`, or 401 MFA_TOKEN_INVALID. */
  async find<S = unknown>(token: string, purposes: readonly MfaChallengePurpose[]): Promise<LiveChallenge<S> & { tokenHash: Buffer }> {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) throw apiError(ApiErrorCode.MFA_TOKEN_INVALID);
    const tokenHash = hashToken(token);
    const row = await this.repository.findLiveChallenge(tokenHash, this.clock.now());
    if (!row || !purposes.includes(row.purpose)) throw apiError(ApiErrorCode.MFA_TOKEN_INVALID);
    const providerState = row.providerState === null ? null : (JSON.parse(this.box.open(row.providerState, stateContext(tokenHash))) as S);
    return { ...row, providerState, tokenHash };
  }

  /** A wrong code: counted (the fifth kills the token), then 401 MFA_CODE_INVALID. */
  async failed(challenge: { id: string }): Promise<never> {
    await this.repository.recordChallengeFailure(challenge.id);
    throw apiError(ApiErrorCode.MFA_CODE_INVALID);
  }

  /** Redeems the token; 401 MFA_TOKEN_INVALID when a parallel request did first. */
  async consume(challenge: { id: string }): Promise<void> {
    if (!(await this.repository.consumeChallenge(challenge.id, this.clock.now()))) throw apiError(ApiErrorCode.MFA_TOKEN_INVALID);
  }

  async saveProviderState(challenge: { id: string; tokenHash: Buffer }, state: unknown): Promise<void> {
    await this.repository.updateProviderState(challenge.id, this.box.seal(JSON.stringify(state), stateContext(challenge.tokenHash)));
  }
}
