import { Injectable } from '@nestjs/common';
import { AuditEventType } from '../audit/audit-event-type';
import { AuditService } from '../audit/audit.service';
import type { SessionSnapshot } from '../sessions/session-snapshot';
import { ApiErrorCode } from '../platform/errors/api-error-code';
import { apiError } from '../platform/errors/api.exception';
import type { ClientContext } from '../platform/http/client-context';
import { MetricsService } from '../platform/metrics/metrics.service';
import { LoginThrottle } from '../throttle/login-throttle.service';
import { countedCheck, MfaStep } from './mfa-metrics';
import { MfaPolicies } from './mfa-policy.service';
import { AcceptedProof, SecondFactorProof, TotpEnrollment, TotpFactors } from './totp-factors.service';

export const MFA_AUDIT = {
  enrolled: AuditEventType.MfaEnrolled,
  disabled: AuditEventType.MfaDisabled,
  recoveryCodeUsed: AuditEventType.MfaRecoveryCodeUsed,
  recoveryCodesRegenerated: AuditEventType.MfaRecoveryCodesRegenerated,
} as const;

/** The `code` field of the settings endpoints: six digits are a TOTP code, anything else a recovery code. */
export const proofFromCode = (code: string): SecondFactorProof => (/^\d{6}$/.test(code.trim()) ? { code: code.trim() } : { recoveryCode: code });

/**
 * A signed-in user managing their own factor (`/api/auth/mfa/*`). Every code
 * check is charged to the user's failed-login budget (src/throttle), so a stolen
 * session cannot try codes faster than a stolen password could.
 */
@Injectable()
export class MfaSettings {
  constructor(
    private readonly factors: TotpFactors,
    private readonly policies: MfaPolicies,
    private readonly throttle: LoginThrottle,
    private readonly audit: AuditService,
    private readonly metrics: MetricsService,
  ) {}

  /** Impersonated sessions never get here: the routes refuse them (IMPERSONATION_RESTRICTED). */
  startEnrollment(session: SessionSnapshot): Promise<TotpEnrollment> {
    return this.factors.startEnrollment(session.user);
  }

  async confirmEnrollment(session: SessionSnapshot, code: string, client: ClientContext): Promise<string[]> {
    const codes = await countedCheck(this.metrics, { step: 'enrollment', factor: 'totp' }, () =>
      this.throttled(session, client, () => this.factors.confirmEnrollment(session.userId, code)),
    );
    await this.record(session, MFA_AUDIT.enrolled, client, { factor: 'totp' });
    return codes;
  }

  async disable(session: SessionSnapshot, code: string, client: ClientContext): Promise<void> {
    if (await this.policies.requires(session.user)) throw apiError(ApiErrorCode.MFA_REQUIRED_BY_POLICY);
    await this.prove(session, code, client, 'disable');
    if (await this.factors.remove(session.userId)) await this.record(session, MFA_AUDIT.disabled, client, { factor: 'totp' });
  }

  async regenerateRecoveryCodes(session: SessionSnapshot, code: string, client: ClientContext): Promise<string[]> {
    await this.prove(session, code, client, 'recovery_codes');
    const codes = await this.factors.regenerateRecoveryCodes(session.userId);
    await this.record(session, MFA_AUDIT.recoveryCodesRegenerated, client, {});
    return codes;
  }

  /** A current TOTP code or a recovery code of the session's user, for `step`; a used recovery code is audited. */
  async prove(session: SessionSnapshot, code: string, client: ClientContext, step: MfaStep): Promise<AcceptedProof> {
    const proof = proofFromCode(code);
    const factor = proof.recoveryCode !== undefined ? 'recovery_code' : 'totp';
    const accepted = await countedCheck(this.metrics, { step, factor }, () =>
      this.throttled(session, client, () => this.factors.require(session.userId, proof)),
    );
    if (accepted.kind === 'recovery_code') {
      await this.record(session, MFA_AUDIT.recoveryCodeUsed, client, { recoveryCodesLeft: accepted.recoveryCodesLeft });
    }
    return accepted;
  }

  private throttled<T>(session: SessionSnapshot, client: ClientContext, check: () => Promise<T>): Promise<T> {
    return this.throttle.guard({ identifier: session.user.email, client, userId: session.userId }, check);
  }

  private record(session: SessionSnapshot, type: AuditEventType, client: ClientContext, details: Record<string, unknown>): Promise<unknown> {
    return this.audit.record({
      type,
      organizationId: session.organizationId,
      actorUserId: session.userId,
      targetUserId: session.userId,
      sessionId: session.sessionId,
      client,
      details,
    });
  }
}
