import { Injectable } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service';
import { Clock } from '../../platform/clock';
import { ApiErrorCode } from '../../platform/errors/api-error-code';
import { ApiException, apiError } from '../../platform/errors/api.exception';
import type { ClientContext } from '../../platform/http/client-context';
import { MetricsService } from '../../platform/metrics/metrics.service';
import { MfaChallenges } from '../../mfa/mfa-challenges.service';
import { countedCheck, MfaLabels } from '../../mfa/mfa-metrics';
import { MfaChallengePurpose } from '../../mfa/mfa-login-challenge.entity';
import { MfaPolicies } from '../../mfa/mfa-policy.service';
import { MFA_AUDIT } from '../../mfa/mfa-settings.service';
import { AcceptedProof, TotpEnrollment, TotpFactors } from '../../mfa/totp-factors.service';
import { LoginThrottle } from '../../throttle/login-throttle.service';
import type { User } from '../../identity/users/user.entity';
import { UsersService } from '../../identity/users/users.service';
import { IdentityProvider, IdentityProviderAuthentication } from '../identity-provider/identity-provider';
import { ProviderPendingStep } from '../identity-provider/pending-step';
import { SessionMethod } from '../../sessions/session.entity';
import { LoginResult, SessionIssuer } from '../../sessions/session-issuer.service';
import { mfaPending, verificationPending } from './pending-login.error';

/** WorkOS's pending authentication, kept sealed with the challenge row. */
interface ProviderState {
  pendingAuthenticationToken: string;
  factorId?: string;
}

export interface SecondStepInput {
  mfaToken: string;
  code?: string;
  recoveryCode?: string;
}

export type SecondStepResult = LoginResult & { recoveryCodes?: string[] };

const LOCAL_PURPOSES = [MfaChallengePurpose.Verify, MfaChallengePurpose.Enroll, MfaChallengePurpose.ProviderMfa] as const;
const isCodeRefusal = (err: unknown): boolean => err instanceof ApiException && err.code === ApiErrorCode.MFA_CODE_INVALID;

/**
 * The login after a correct password: straight to a session, or a 403 with a
 * second-step token (a TOTP code or recovery code, enrollment the policy
 * requires, WorkOS's own MFA or email verification), and then that step.
 * Every code attempt is charged to the account's failed-login budget, the same
 * one passwords spend (src/throttle), and counted on its token (the fifth wrong
 * code kills it).
 */
@Injectable()
export class SecondStep {
  constructor(
    private readonly factors: TotpFactors,
    private readonly policies: MfaPolicies,
    private readonly challenges: MfaChallenges,
    private readonly issuer: SessionIssuer,
    private readonly users: UsersService,
    private readonly identityProvider: IdentityProvider,
    private readonly throttle: LoginThrottle,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly metrics: MetricsService,
  ) {}

  /** The password was right. A user with TOTP, or one the policy requires to have it, gets a 403 and a token. */
  async afterPassword(user: User, client: ClientContext): Promise<LoginResult> {
    if (await this.factors.isActive(user.id)) {
      this.metrics.mfa('login', 'totp', 'required');
      throw mfaPending(ApiErrorCode.MFA_REQUIRED, await this.challenges.issue(user.id, MfaChallengePurpose.Verify));
    }
    if (await this.policies.requires(user)) {
      this.metrics.mfa('enrollment', 'totp', 'required');
      throw mfaPending(ApiErrorCode.MFA_ENROLLMENT_REQUIRED, await this.challenges.issue(user.id, MfaChallengePurpose.Enroll));
    }
    return this.issuer.login({ user, method: SessionMethod.Password, client });
  }

  /** WorkOS accepted a migrated user's password and asks for its own step: wrap its pending authentication in a token. */
  async afterProviderStep(user: User, step: ProviderPendingStep): Promise<never> {
    // As for a finished password check: the provider must vouch for this very user, and the user must be active.
    if (!user.active || (step.providerUserId !== null && step.providerUserId !== user.workosUserId)) {
      throw apiError(ApiErrorCode.INVALID_CREDENTIALS);
    }
    const state: ProviderState = { pendingAuthenticationToken: step.pendingAuthenticationToken };
    if (step.kind === 'email_verification') {
      this.metrics.mfa('email_verification', 'email_code', 'required');
      throw verificationPending(await this.challenges.issue(user.id, MfaChallengePurpose.ProviderEmail, state));
    }
    // Without a factor to challenge this API cannot continue: the plain 403 it always was.
    if (step.factorIds.length === 0) throw step;
    state.factorId = step.factorIds[0];
    this.metrics.mfa('login', 'workos_totp', 'required');
    throw mfaPending(ApiErrorCode.MFA_REQUIRED, await this.challenges.issue(user.id, MfaChallengePurpose.ProviderMfa, state));
  }

  /** `POST /api/auth/login/mfa/enroll`: the pending factor for a user the policy sends to enrollment. */
  async startEnrollment(mfaToken: string): Promise<TotpEnrollment> {
    const challenge = await this.challenges.find(mfaToken, [MfaChallengePurpose.Enroll]);
    const user = await this.liveUser(challenge.userId);
    return this.factors.startEnrollment(user);
  }

  /** `POST /api/auth/login/mfa`: the code (or recovery code) that finishes the login. */
  async complete(input: SecondStepInput, client: ClientContext): Promise<SecondStepResult> {
    const labels: MfaLabels = { step: 'login', factor: input.recoveryCode !== undefined ? 'recovery_code' : 'totp' };
    return countedCheck(this.metrics, labels, async () => {
      const challenge = await this.challenges.find<ProviderState>(input.mfaToken, LOCAL_PURPOSES);
      if (challenge.purpose === MfaChallengePurpose.Enroll) labels.step = 'enrollment';
      if (challenge.purpose === MfaChallengePurpose.ProviderMfa) labels.factor = 'workos_totp';
      const user = await this.liveUser(challenge.userId);
      return this.throttle.guard({ identifier: user.email, client, userId: user.id }, async () => {
        switch (challenge.purpose) {
          case MfaChallengePurpose.Verify:
            return this.verify(challenge, user, input, client);
          case MfaChallengePurpose.Enroll:
            return this.enroll(challenge, user, input, client);
          default:
            return this.provider(challenge, user, input, client);
        }
      });
    });
  }

  /** `POST /api/auth/login/email-verification`: WorkOS's emailed code. */
  verifyEmail(token: string, code: string, client: ClientContext): Promise<LoginResult> {
    return countedCheck(this.metrics, { step: 'email_verification', factor: 'email_code' }, () => this.verifyEmailCode(token, code, client));
  }

  private async verifyEmailCode(token: string, code: string, client: ClientContext): Promise<LoginResult> {
    const challenge = await this.challenges.find<ProviderState>(token, [MfaChallengePurpose.ProviderEmail]);
    const user = await this.liveUser(challenge.userId);
    return this.throttle.guard({ identifier: user.email, client, userId: user.id }, async () => {
      const state = challenge.providerState as ProviderState;
      const authenticated = await this.refusedCodeCounts(challenge, () =>
        this.identityProvider.authenticateWithEmailVerification({
          pendingAuthenticationToken: state.pendingAuthenticationToken,
          code,
          ipAddress: client.ip,
          userAgent: client.userAgent ?? undefined,
        }),
      );
      this.assertSameProviderUser(user, authenticated);
      await this.challenges.consume(challenge);
      return this.issuer.login({ user, method: SessionMethod.Password, client });
    });
  }

  private async verify(challenge: { id: string }, user: User, input: SecondStepInput, client: ClientContext): Promise<LoginResult> {
    const proof = input.recoveryCode !== undefined ? { recoveryCode: input.recoveryCode } : { code: input.code as string };
    const accepted = await this.factors.accept(user.id, proof);
    if (!accepted) return this.challenges.failed(challenge);
    await this.challenges.consume(challenge);
    const result = await this.issuer.login({ user, method: SessionMethod.Password, client, secondFactorAt: this.clock.now() });
    if (accepted.kind === 'recovery_code') await this.recordRecoveryCode(user, accepted, result.session.id, client);
    return result;
  }

  private async enroll(challenge: { id: string }, user: User, input: SecondStepInput, client: ClientContext): Promise<SecondStepResult> {
    // No recovery codes exist before enrollment: only a code of the new factor finishes it.
    if (input.code === undefined) return this.challenges.failed(challenge);
    const recoveryCodes = await this.refusedCodeCounts(challenge, () => this.factors.confirmEnrollment(user.id, input.code as string));
    await this.challenges.consume(challenge);
    const result = await this.issuer.login({ user, method: SessionMethod.Password, client, secondFactorAt: this.clock.now() });
    await this.audit.record({
      type: MFA_AUDIT.enrolled,
      organizationId: user.organizationId,
      actorUserId: user.id,
      targetUserId: user.id,
      sessionId: result.session.id,
      client,
      details: { factor: 'totp', duringLogin: true },
    });
    return { ...result, recoveryCodes };
  }

  /** WorkOS's `mfa_challenge`: challenge the user's WorkOS factor, then authenticate with the code through WorkOS. */
  private async provider(
    challenge: { id: string; providerState: ProviderState | null },
    user: User,
    input: SecondStepInput,
    client: ClientContext,
  ): Promise<LoginResult> {
    const state = challenge.providerState as ProviderState;
    if (input.code === undefined || state.factorId === undefined) return this.challenges.failed(challenge);
    const authenticated = await this.refusedCodeCounts(challenge, async () => {
      const { challengeId } = await this.identityProvider.challengeFactor(state.factorId as string);
      return this.identityProvider.authenticateWithTotp({
        pendingAuthenticationToken: state.pendingAuthenticationToken,
        authenticationChallengeId: challengeId,
        code: input.code as string,
        ipAddress: client.ip,
        userAgent: client.userAgent ?? undefined,
      });
    });
    this.assertSameProviderUser(user, authenticated);
    await this.challenges.consume(challenge);
    return this.issuer.login({ user, method: SessionMethod.Password, client, secondFactorAt: this.clock.now() });
  }

  /** A code refused (here or by WorkOS) counts against the token. */
  private async refusedCodeCounts<T>(challenge: { id: string }, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (isCodeRefusal(err)) return this.challenges.failed(challenge);
      throw err;
    }
  }

  /** The provider vouched for someone else: never let that open this user's account. */
  private assertSameProviderUser(user: User, authenticated: IdentityProviderAuthentication): void {
    if (authenticated.user.id !== user.workosUserId) throw apiError(ApiErrorCode.INVALID_CREDENTIALS);
  }

  /** A token of a user who was deactivated or removed meanwhile is just a dead token. */
  private async liveUser(userId: string): Promise<User> {
    const user = await this.users.findById(userId);
    if (!user?.active) throw apiError(ApiErrorCode.MFA_TOKEN_INVALID);
    return user;
  }

  private recordRecoveryCode(user: User, accepted: Extract<AcceptedProof, { kind: 'recovery_code' }>, sessionId: string, client: ClientContext): Promise<unknown> {
    return this.audit.record({
      type: MFA_AUDIT.recoveryCodeUsed,
      organizationId: user.organizationId,
      actorUserId: user.id,
      targetUserId: user.id,
      sessionId,
      client,
      details: { recoveryCodesLeft: accepted.recoveryCodesLeft, duringLogin: true },
    });
  }
}
