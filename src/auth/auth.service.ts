import { Injectable } from '@nestjs/common';
import { Clock } from '../platform/clock';
import { ApiErrorCode } from '../platform/errors/api-error-code';
import { apiError } from '../platform/errors/api.exception';
import type { ClientContext } from '../platform/http/client-context';
import { ImpersonationRedeemer } from '../impersonation/impersonation-redeemer.service';
import type { User } from '../identity/users/user.entity';
import { toUserPayload, UserPayload } from '../identity/users/user-payload';
import { LoginDto } from './dto/login.dto';
import { SecondStep } from './second-step/second-step.service';
import { MeResponseDto } from './dto/login-response.dto';
import { RefreshService } from '../sessions/refresh.service';
import { SessionEndReason } from '../sessions/session.entity';
import { LoginResult, SessionIssuer } from '../sessions/session-issuer.service';
import { SessionSnapshot } from '../sessions/session-snapshot';
import { SessionsService } from '../sessions/sessions.service';

interface StableMe {
  user: UserPayload;
  session: ReturnType<SessionIssuer['stableInfo']>;
}

@Injectable()
export class AuthService {
  private readonly stableMe = new WeakMap<SessionSnapshot, StableMe>();

  constructor(
    private readonly issuer: SessionIssuer,
    private readonly refresher: RefreshService,
    private readonly sessions: SessionsService,
    private readonly clock: Clock,
    private readonly impersonation: ImpersonationRedeemer,
    private readonly secondStep: SecondStep,
  ) {}

  /** POST /api/auth/login: a password already checked by the local strategy, or an impersonation token to redeem. */
  login(dto: LoginDto, user: User | undefined, client: ClientContext): Promise<LoginResult> {
    if (dto.impersonationToken !== undefined) return this.impersonation.redeem(dto.email, dto.impersonationToken, client);
    // The LoginGuard lets a password through only after the local strategy set the user.
    if (!user) throw apiError(ApiErrorCode.INVALID_CREDENTIALS);
    return this.passwordLogin(user, client);
  }

  /** The password was verified by the local strategy: a password session, or the 403 that asks for a second factor. */
  passwordLogin(user: User, client: ClientContext): Promise<LoginResult> {
    return this.secondStep.afterPassword(user, client);
  }

  async refresh(refreshToken: string, client: ClientContext): Promise<LoginResult> {
    const rotation = await this.refresher.rotate(refreshToken, client.requestId);
    return this.issuer.renew(rotation.snapshot, rotation.refreshToken);
  }

  async logout(session: SessionSnapshot, client: ClientContext): Promise<void> {
    // The person signing out: for an impersonated session, the admin behind it (the audit trail names them).
    const actorUserId = session.impersonator?.id ?? session.userId;
    await this.sessions.end(session.sessionId, SessionEndReason.Logout, { actorUserId, client, endedBy: 'self' });
  }

  /**
   * Logout by the refresh cookie alone (the SPA may hold no live access token, e.g. right
   * after a reload). Any token of the session names it; a session already ended stays ended.
   */
  async logoutWithRefreshToken(refreshToken: string, client: ClientContext): Promise<void> {
    const session = await this.refresher.sessionOf(refreshToken);
    if (!session) throw apiError(ApiErrorCode.INVALID_REFRESH_TOKEN);
    await this.logout(session, client);
  }

  /** `accessTokenExpiresAtMs`: the expiry of the token this request came with (me issues none). */
  me(session: SessionSnapshot, accessTokenExpiresAtMs: number): MeResponseDto {
    const stable = this.stableMeOf(session);
    return {
      user: stable.user,
      sessionConfig: session.policy,
      session: {
        ...stable.session,
        ...this.issuer.deadlines(session.expiresAtMs, this.clock.nowMs(), session.policy, accessTokenExpiresAtMs),
        mfaAt: session.mfaAtMs === null ? null : new Date(session.mfaAtMs).toISOString(),
      },
      impersonator: session.impersonator,
    };
  }

  /**
   * What `me` answers that changes only with the snapshot (a new one at most every
   * SESSION_CACHE_MS): built once per snapshot rather than on every request.
   */
  private stableMeOf(session: SessionSnapshot): StableMe {
    let stable = this.stableMe.get(session);
    if (!stable) {
      stable = {
        user: toUserPayload(session.user),
        session: this.issuer.stableInfo(session.sessionId, session.method, session.createdAtMs, session.expiresAtMs),
      };
      this.stableMe.set(session, stable);
    }
    return stable;
  }
}
