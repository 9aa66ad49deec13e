import { Injectable } from '@nestjs/common';
import { SessionMethod } from '../sessions/session.entity';
import { LoginResult, SessionIssuer } from '../sessions/session-issuer.service';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../platform/clock';
import { ApiErrorCode } from '../platform/errors/api-error-code';
import { apiError, ApiException } from '../platform/errors/api.exception';
import type { ClientContext } from '../platform/http/client-context';
import { SecurityEvents } from '../platform/logging/security-events';
import { AppConfig, InjectConfig } from '../platform/config/app-config';
import { normalizeEmail } from '../identity/users/normalize';
import { ImpersonationEventType, RejectionReason } from './impersonation-audit';
import { ImpersonationRepository, RedeemedRow } from './impersonation.repository';
import { isUuid } from '../platform/uuid';
import { ImpersonationClaims, ImpersonationTokens } from './impersonation-token.service';
import { LoginThrottle } from '../throttle/login-throttle.service';

/**
 * The redeeming side of impersonation: POST /api/auth/login with
 * `{ email, impersonationToken }`.
 *
 * Every rule that depends on the database (never used, not expired, the admin
 * still an active ADMIN of the target's organization, the target still an active
 * non-admin member with the same email) sits in the WHERE of ONE conditional
 * UPDATE: of N simultaneous redemptions on any number of instances, exactly one
 * sets `redeemed_at`; the others match no row. A refused redemption changes
 * nothing, so only a successful one uses the ticket up.
 */
@Injectable()
export class ImpersonationRedeemer {
  constructor(
    private readonly tokens: ImpersonationTokens,
    private readonly issuer: SessionIssuer,
    private readonly repository: ImpersonationRepository,
    private readonly audit: AuditService,
    private readonly events: SecurityEvents,
    private readonly clock: Clock,
    private readonly throttle: LoginThrottle,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /**
   * A redemption is a login: it is charged to the failed-login budgets of the email it
   * names (the same budgets as a password, on every instance), so neither 2,000 garbage
   * tokens nor a spent token replayed 500 times get more tries than a password guesser
   * (test/impersonation/redeem-abuse.e2e.ts).
   */
  redeem(email: string, impersonationToken: string, client: ClientContext): Promise<LoginResult> {
    return this.throttle.guard({ identifier: email, client }, () => this.redeemNow(email, impersonationToken, client));
  }

  private async redeemNow(email: string, impersonationToken: string, client: ClientContext): Promise<LoginResult> {
    const now = this.clock.now();
    const verified = this.tokens.verify(impersonationToken, now.getTime());
    if (!verified.ok) return this.reject(verified.why, verified.claims, client);
    const { claims } = verified;
    if (normalizeEmail(email) !== normalizeEmail(claims.email)) return this.reject(RejectionReason.EmailMismatch, claims, client);

    const row = await this.consume(claims, now);
    if (!row) return this.reject(await this.whyNotConsumed(claims, now), claims, client);

    // The ticket is spent before the session exists: a crash here loses a ticket, never duplicates a session.
    const login = await this.issuer.login({
      user: {
        id: row.id,
        email: row.email,
        firstName: row.first_name,
        lastName: row.last_name,
        organizationId: row.organization_id,
        accessRole: row.access_role,
        conversationOpenPreference: row.conversation_open_preference,
        organization: { sessionPolicy: row.session_policy },
      },
      method: SessionMethod.Impersonation,
      client,
      impersonatorId: row.admin_id,
      maxLifetimeMs: this.config.impersonation.sessionMaxMinutes * 60_000,
    });
    await this.recordRedeemed(claims, row, login.session.id, client, now);
    this.events.record(
      'impersonation.redeemed',
      client.requestId,
      { adminId: row.admin_id, targetUserId: row.id, sessionId: login.session.id, jti: claims.jti, ip: client.ip },
      'info',
    );
    return login;
  }

  private consume(claims: ImpersonationClaims, now: Date): Promise<RedeemedRow | undefined> {
    return this.repository.consume(
      { jti: claims.jti, targetUserId: claims.sub, adminId: claims.adm, organizationId: claims.org, email: normalizeEmail(claims.email) },
      now,
    );
  }

  /** Only on refusal: which rule the UPDATE's WHERE failed, for the audit row. */
  private async whyNotConsumed(claims: ImpersonationClaims, now: Date): Promise<RejectionReason> {
    const ticket = await this.repository.ticketState(claims.jti, normalizeEmail(claims.email));
    if (!ticket) return RejectionReason.UnknownTicket;
    if (ticket.target_user_id !== claims.sub || ticket.admin_id !== claims.adm || ticket.organization_id !== claims.org) {
      return RejectionReason.TicketMismatch;
    }
    if (ticket.redeemed_at !== null) return RejectionReason.AlreadyRedeemed;
    if (ticket.expires_at.getTime() <= now.getTime()) return RejectionReason.Expired;
    if (!ticket.admin_ok) return RejectionReason.AdminNotAllowed;
    return RejectionReason.TargetNotAllowed;
  }

  /** On the hot path: the session id onto the ticket and the audit row, side by side. */
  private async recordRedeemed(
    claims: ImpersonationClaims,
    row: RedeemedRow,
    sessionId: string,
    client: ClientContext,
    now: Date,
  ): Promise<void> {
    await Promise.all([
      this.repository.attachSession(claims.jti, sessionId),
      this.audit.record({
        type: ImpersonationEventType.Redeemed,
        organizationId: row.organization_id,
        actorUserId: row.admin_id,
        targetUserId: row.id,
        sessionId,
        reason: row.reason,
        client,
        occurredAt: now,
        details: { jti: claims.jti },
      }),
    ]);
  }

  /**
   * Every refusal is the same 401 to the client. A token whose signature is ours (a real
   * ticket, or another token of ours) gets an audit row in its organization's trail,
   * recorded as what it is: a presentation by whoever presented it (the row's ip and user
   * agent), with no actor; the issuing admin is named in `details.impersonatorId`, never
   * as the actor of an act that was not theirs. Anything else (not a JWT, a foreign key
   * or signature) is unauthenticated garbage: a security log line, never a row per
   * request, since nothing bounds how many an attacker sends and nobody could list them.
   */
  private async reject(why: RejectionReason, claims: Partial<ImpersonationClaims> | undefined, client: ClientContext): Promise<never> {
    const trusted = claims && isUuid(claims.org) ? claims : undefined;
    const jti = trusted && isUuid(trusted.jti) ? trusted.jti : null;
    if (trusted) {
      await this.audit.record({
        type: ImpersonationEventType.Rejected,
        organizationId: trusted.org ?? null,
        actorUserId: null,
        targetUserId: isUuid(trusted.sub) ? trusted.sub : null,
        client,
        details: { why, ...(jti ? { jti } : {}), ...(isUuid(trusted.adm) ? { impersonatorId: trusted.adm } : {}) },
      });
    }
    this.events.record('impersonation.rejected', client.requestId, { why, jti, ip: client.ip, userAgent: client.userAgent, audited: trusted !== undefined });
    throw invalidToken();
  }
}

const invalidToken = (): ApiException => apiError(ApiErrorCode.IMPERSONATION_TOKEN_INVALID);
