import { Injectable } from '@nestjs/common';
import type { SessionSnapshot } from '../sessions/session-snapshot';
import { SessionsService } from '../sessions/sessions.service';
import { Clock } from '../platform/clock';
import { ApiErrorCode } from '../platform/errors/api-error-code';
import { apiError } from '../platform/errors/api.exception';
import { MetricsService } from '../platform/metrics/metrics.service';
import type { ClientContext } from '../platform/http/client-context';
import { AccessRole } from '../identity/users/user.entity';
import { MfaPolicies } from './mfa-policy.service';
import { MfaSettings } from './mfa-settings.service';
import { TotpFactors } from './totp-factors.service';

/** How recent a second factor must be for power (issuing an impersonation token). */
export const STEP_UP_WINDOW_MS = 15 * 60_000;

/**
 * Step-up: an ADMIN who has a second factor, or whom the organization's policy
 * requires to have one, may use power only within 15 minutes of proving it on
 * this session (at login or through `POST /api/auth/mfa/step-up`).
 */
@Injectable()
export class StepUp {
  constructor(
    private readonly factors: TotpFactors,
    private readonly policies: MfaPolicies,
    private readonly settings: MfaSettings,
    private readonly sessions: SessionsService,
    private readonly clock: Clock,
    private readonly metrics: MetricsService,
  ) {}

  /** 403 STEP_UP_REQUIRED unless the session proved a second factor recently enough (or needs none). */
  async assertRecent(session: SessionSnapshot): Promise<void> {
    if (session.user.accessRole !== AccessRole.ADMIN) return;
    const needed = (await this.factors.isActive(session.userId)) || (await this.policies.requires(session.user));
    if (!needed) return;
    // Read from the row, not the cached snapshot: a step-up on another instance counts at once.
    const provedAt = await this.sessions.secondFactorAt(session.sessionId);
    if (provedAt === null || this.clock.nowMs() - provedAt.getTime() > STEP_UP_WINDOW_MS) {
      this.metrics.mfa('step_up', 'totp', 'required');
      throw apiError(ApiErrorCode.STEP_UP_REQUIRED);
    }
  }

  /** Proves a second factor for this session now. */
  async prove(session: SessionSnapshot, code: string, client: ClientContext): Promise<void> {
    await this.settings.prove(session, code, client, 'step_up');
    await this.sessions.recordSecondFactor(session.sessionId, this.clock.now());
  }
}
