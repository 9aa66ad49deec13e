import { Injectable } from '@nestjs/common';
import { Clock } from '../platform/clock';
import { ApiErrorCode } from '../platform/errors/api-error-code';
import { apiError } from '../platform/errors/api.exception';
import { AppConfig, InjectConfig } from '../platform/config/app-config';
import { SecretBox } from './crypto/secret-box';
import { MfaRepository } from './mfa.repository';
import { hashRecoveryCode, newRecoveryCodes, normalizeRecoveryCode } from './recovery/recovery-codes';
import { matchTotp, newTotpSecret, otpauthUriOf } from './totp/totp';

/** What a user offers as their second factor: a current TOTP code or one of their recovery codes. */
export type SecondFactorProof = { code: string; recoveryCode?: undefined } | { code?: undefined; recoveryCode: string };

/** How a proof was accepted; `recoveryCodesLeft` only for a recovery code. */
export type AcceptedProof = { kind: 'totp' } | { kind: 'recovery_code'; recoveryCodesLeft: number };

export interface TotpEnrollment {
  /** Base32, for typing into an app by hand. */
  secret: string;
  /** For the QR code. */
  otpauthUri: string;
}

/**
 * A local user's TOTP factor: enrollment (pending until the first correct code),
 * verification (each code at most once), recovery codes, removal. Never logs or
 * returns a secret or a code beyond the two one-time answers (enrollment's secret, the recovery codes; docs/mfa.md).
 */
@Injectable()
export class TotpFactors {
  constructor(
    private readonly repository: MfaRepository,
    private readonly box: SecretBox,
    private readonly clock: Clock,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async isActive(userId: string): Promise<boolean> {
    return (await this.repository.findFactor(userId))?.active ?? false;
  }

  /** Which of these users have TOTP on (a confirmed factor; a pending enrollment is not one). */
  activeAmong(userIds: readonly string[]): Promise<Set<string>> {
    return userIds.length === 0 ? Promise.resolve(new Set<string>()) : this.repository.confirmedAmong(userIds);
  }

  /** A new pending factor (replacing a pending one). 409 MFA_ALREADY_ENABLED when one is active. */
  async startEnrollment(user: { id: string; email: string }): Promise<TotpEnrollment> {
    const secret = newTotpSecret();
    const saved = await this.repository.savePendingFactor(user.id, this.box.seal(secret, user.id), this.clock.now());
    if (!saved) throw apiError(ApiErrorCode.MFA_ALREADY_ENABLED);
    return { secret, otpauthUri: otpauthUriOf(secret, this.config.jwt.issuer, user.email) };
  }

  /** The first correct code activates the pending factor; the answer is the recovery codes, shown this once. */
  async confirmEnrollment(userId: string, code: string): Promise<string[]> {
    const factor = await this.repository.findFactor(userId);
    if (!factor || factor.active) throw apiError(factor ? ApiErrorCode.MFA_ALREADY_ENABLED : ApiErrorCode.MFA_ENROLLMENT_NOT_STARTED);
    const step = matchTotp(this.box.open(factor.secretSealed, userId), code, this.clock.nowMs(), factor.lastUsedStep);
    const codes = newRecoveryCodes();
    if (step === null || !(await this.repository.activateFactor(userId, step, codes.map(hashRecoveryCode), this.clock.now()))) {
      throw apiError(ApiErrorCode.MFA_CODE_INVALID);
    }
    return codes;
  }

  /**
   * Checks a proof against the user's active factor; null when it is wrong, was
   * used already, or the user has no active factor. A TOTP code is taken only if
   * its time step is newer than the last accepted one, in one conditional UPDATE.
   */
  async accept(userId: string, proof: SecondFactorProof): Promise<AcceptedProof | null> {
    if (proof.recoveryCode !== undefined) {
      const canonical = normalizeRecoveryCode(proof.recoveryCode);
      if (canonical === null) return null;
      const left = await this.repository.useRecoveryCode(userId, hashRecoveryCode(canonical), this.clock.now());
      return left === null ? null : { kind: 'recovery_code', recoveryCodesLeft: left };
    }
    const factor = await this.repository.findFactor(userId);
    if (!factor?.active) return null;
    const step = matchTotp(this.box.open(factor.secretSealed, userId), proof.code, this.clock.nowMs(), factor.lastUsedStep);
    if (step === null || !(await this.repository.acceptStep(userId, step))) return null;
    return { kind: 'totp' };
  }

  /** `accept`, or 401 MFA_CODE_INVALID (409 MFA_NOT_ENABLED when there is no factor to prove). */
  async require(userId: string, proof: SecondFactorProof): Promise<AcceptedProof> {
    const accepted = await this.accept(userId, proof);
    if (accepted) return accepted;
    if (!(await this.isActive(userId))) throw apiError(ApiErrorCode.MFA_NOT_ENABLED);
    throw apiError(ApiErrorCode.MFA_CODE_INVALID);
  }

  /** Removes the factor and its recovery codes. */
  async remove(userId: string): Promise<boolean> {
    return this.repository.deleteFactor(userId);
  }

  /** A new set of recovery codes; the old set stops working. */
  async regenerateRecoveryCodes(userId: string): Promise<string[]> {
    const codes = newRecoveryCodes();
    if (!(await this.repository.replaceRecoveryCodes(userId, codes.map(hashRecoveryCode), this.clock.now()))) {
      throw apiError(ApiErrorCode.MFA_NOT_ENABLED);
    }
    return codes;
  }
}
