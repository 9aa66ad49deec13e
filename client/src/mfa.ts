import { resolveOperation } from './api-call';
import type { CallResult } from './api-call';
import type { OperationKey } from './api-types';
import type { MfaLoginResponseDto } from './generated/openapi';
import { AuthApiError, errorOf } from './http';
import {
  isCodeRefusal,
  isStepUpRefusal,
  LoginResult,
  PendingLoginAnswer,
  pendingLoginOf,
  SecondFactorRequired,
  SignedIn,
  StepUpRequired,
  TotpEnrollment,
} from './mfa-steps';
import { SessionCore } from './session-core';
import { fromLoginResponse } from './stored-session';

/**
 * The second factor on top of the session machinery: the login's extra steps as typed
 * results, TOTP enrollment from the settings, recovery codes, and step-up before an
 * action the server guards with a fresh proof (impersonation). docs/mfa.md has the rules.
 */
export abstract class MfaSession extends SessionCore {
  /** When this session last proved a second factor (server clock, ISO 8601), or null. */
  get mfaAt(): string | null {
    return this.state?.session?.mfaAt ?? null;
  }

  /** Starts (or restarts) enrollment: a pending factor, active once `confirmTotp` gets its first code. 409 MFA_ALREADY_ENABLED with one active. */
  async enrollTotp(): Promise<TotpEnrollment> {
    return this.bearer('POST /api/auth/mfa/totp');
  }

  /** The first code of the new entry: the factor is active. Resolves with the 10 recovery codes, shown this once. */
  async confirmTotp(code: string): Promise<string[]> {
    const { recoveryCodes } = await this.bearer('POST /api/auth/mfa/totp/confirm', { code });
    this.events.emit('mfa-enrolled', { during: 'settings' });
    return recoveryCodes;
  }

  /** Turns the factor off with a current code or a recovery code. 409 MFA_REQUIRED_BY_POLICY while the organization requires one. */
  async disableTotp(code: string): Promise<void> {
    await this.bearer('DELETE /api/auth/mfa/totp', { code });
    this.events.emit('mfa-disabled', undefined);
  }

  /** A new set of 10 recovery codes (shown this once); the old set stops working. */
  async regenerateRecoveryCodes(code: string): Promise<string[]> {
    const { recoveryCodes } = await this.bearer('POST /api/auth/mfa/recovery-codes', { code });
    this.events.emit('recovery-codes-regenerated', undefined);
    return recoveryCodes;
  }

  /** Proves a second factor on this session now (a current code or a recovery code); `mfaAt` follows. */
  async stepUp(code: string): Promise<void> {
    await this.bearer('POST /api/auth/mfa/step-up', { code });
    await this.touch(); // `me` reports the new session.mfaAt
    this.events.emit('stepped-up', { mfaAt: this.mfaAt });
  }

  /** The login's 403 that asks for one more step, as that step; any other error is thrown again. */
  protected secondFactorOr(err: unknown): SecondFactorRequired {
    const pending = pendingLoginOf(err);
    if (!pending) throw err;
    this.events.emit('second-factor-required', { status: pending.status, expiresAt: pending.expiresAt });
    return this.pendingStep(pending, null);
  }

  /** Runs `action`; when the server wants a fresh second factor first, answers the step-up step instead of throwing. */
  protected async withStepUp<T>(action: () => Promise<T>): Promise<T | StepUpRequired<T>> {
    try {
      return await action();
    } catch (err) {
      if (!isStepUpRefusal(err)) throw err;
      this.events.emit('step-up-required', { message: err.message });
      return this.stepUpStep(action, err.message, null);
    }
  }

  private stepUpStep<T>(action: () => Promise<T>, message: string, error: AuthApiError | null): StepUpRequired<T> {
    return Object.freeze({
      status: 'step-up-required' as const,
      message,
      error,
      prove: async (code: string): Promise<T | StepUpRequired<T>> => {
        try {
          await this.stepUp(code);
        } catch (err) {
          if (isCodeRefusal(err)) return this.stepUpStep(action, message, err);
          throw err;
        }
        return this.withStepUp(action);
      },
    });
  }

  private pendingStep(pending: PendingLoginAnswer, error: AuthApiError | null): SecondFactorRequired {
    const base = { message: pending.message, expiresAt: pending.expiresAt, error };
    const secondStep = (body: { code: string } | { recoveryCode: string }) =>
      this.finishLogin(pending, '/api/auth/login/mfa', { mfaToken: pending.token, ...body });
    switch (pending.status) {
      case 'mfa-required':
        return Object.freeze({
          ...base,
          status: pending.status,
          factors: Object.freeze([...pending.factors]),
          submitCode: (code: string) => secondStep({ code }),
          submitRecoveryCode: (recoveryCode: string) => secondStep({ recoveryCode }),
        });
      case 'mfa-enrollment-required':
        return Object.freeze({
          ...base,
          status: pending.status,
          enroll: () => this.publicPost<TotpEnrollment>('/api/auth/login/mfa/enroll', { mfaToken: pending.token }),
          submitCode: (code: string) => secondStep({ code }),
        });
      case 'email-verification-required':
        return Object.freeze({
          ...base,
          status: pending.status,
          submitCode: (code: string) => this.finishLogin(pending, '/api/auth/login/email-verification', { token: pending.token, code }),
        });
    }
  }

  /** The step's answer: signed in, or the same step again after a wrong code (a dead token throws). */
  private async finishLogin(pending: PendingLoginAnswer, path: string, body: unknown): Promise<LoginResult> {
    let response: MfaLoginResponseDto;
    try {
      response = await this.publicPost<MfaLoginResponseDto>(path, body);
    } catch (err) {
      if (isCodeRefusal(err)) return this.pendingStep(pending, err);
      throw err;
    }
    this.begin(fromLoginResponse(response, this.nextGeneration()));
    const snapshot = this.snapshot() as SignedIn;
    if (!response.recoveryCodes) return snapshot;
    this.events.emit('mfa-enrolled', { during: 'login' });
    return Object.freeze({ status: 'mfa-enrolled' as const, snapshot, recoveryCodes: Object.freeze([...response.recoveryCodes]) });
  }

  private async publicPost<T>(path: string, body: unknown): Promise<T> {
    const answer = await this.http.request('POST', path, { body });
    if (answer.status !== 200) throw errorOf(answer);
    this.observeBody(answer);
    return answer.body as T;
  }

  /** A bearer call of one of the MFA operations, its answer typed from the OpenAPI document. */
  private async bearer<K extends OperationKey>(key: K, body?: unknown): Promise<CallResult<K>> {
    const { method, path } = resolveOperation(key, {});
    return (await this.authorized(method, path, { body })) as CallResult<K>;
  }
}
