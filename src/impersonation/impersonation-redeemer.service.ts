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
import { Sql } from '../platform/database/sql.service';
import type { StoredSessionPolicy } from '../identity/organizations/session-policy';
import { normalizeEmail } from '../identity/users/normalize';
import { AccessRole } from '../identity/users/user.entity';
import { ImpersonationEventType, RejectionReason } from './impersonation-audit';
import { isUuid } from '../platform/uuid';
import { ImpersonationClaims, ImpersonationTokens } from './impersonation-token.service';

interface RedeemedRow {
  admin_id: string;
  organization_id: string;
  reason: string | null;
  id: string;
  email: string;
  first_name: string;
  last_name: string;
  access_role: AccessRole;
  conversation_open_preference: string;
  session_policy: StoredSessionPolicy;
}

interface TicketStateRow {
  organization_id: string;
  admin_id: string;
  target_user_id: string;
  redeemed_at: Date | null;
  expires_at: Date;
  admin_ok: boolean;
  target_ok: boolean;
}

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
    private readonly sql: Sql,
    private readonly audit: AuditService,
    private readonly events: SecurityEvents,
    private readonly clock: Clock,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async redeem(email: string, impersonationToken: string, client: ClientContext): Promise<LoginResult> {
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

  private async consume(claims: ImpersonationClaims, now: Date): Promise<RedeemedRow | undefined> {
    const { rows } = await this.sql.query<RedeemedRow>(
      `UPDATE impersonation_tickets t
          SET redeemed_at = $2
         FROM users u, users a, organizations o
        WHERE t.jti = $1
          AND t.redeemed_at IS NULL
          AND t.expires_at > $2
          AND t.target_user_id = $3 AND t.admin_id = $4 AND t.organization_id = $5
          AND u.id = t.target_user_id AND u.organization_id = t.organization_id
          AND u.active AND u.access_role <> 'ADMIN' AND u.email = $6
          AND a.id = t.admin_id AND a.organization_id = t.organization_id
          AND a.active AND a.access_role = 'ADMIN'
          AND o.id = t.organization_id
        RETURNING t.admin_id, t.organization_id, t.reason, u.id, u.email, u.first_name, u.last_name,
                  u.access_role, u.conversation_open_preference, o.session_policy`,
      [claims.jti, now, claims.sub, claims.adm, claims.org, normalizeEmail(claims.email)],
      'impersonation_consume',
    );
    return rows[0];
  }

  /** Only on refusal: which rule the UPDATE's WHERE failed, for the audit row. */
  private async whyNotConsumed(claims: ImpersonationClaims, now: Date): Promise<RejectionReason> {
    const { rows } = await this.sql.query<TicketStateRow>(
      `SELECT t.organization_id, t.admin_id, t.target_user_id, t.redeemed_at, t.expires_at,
              COALESCE(a.active AND a.access_role = 'ADMIN' AND a.organization_id = t.organization_id, false) AS admin_ok,
              COALESCE(u.active AND u.access_role <> 'ADMIN' AND u.organization_id = t.organization_id AND u.email = $2, false) AS target_ok
         FROM impersonation_tickets t
         LEFT JOIN users a ON a.id = t.admin_id
         LEFT JOIN users u ON u.id = t.target_user_id
        WHERE t.jti = $1`,
      [claims.jti, normalizeEmail(claims.email)],
    );
    const ticket = rows[0];
    if (!ticket) return RejectionReason.UnknownTicket;
    if (ticket.target_user_id !== claims.sub || ticket.admin_id !== claims.adm || ticket.organization_id !== claims.org) {
      return RejectionReason.TicketMismatch;
    }
    if (ticket.redeemed_at !== null) return RejectionReason.AlreadyRedeemed;
    if (ticket.expires_at.getTime() <= now.getTime()) return RejectionReason.Expired;
    if (!ticket.admin_ok) return RejectionReason.AdminNotAllowed;
    return RejectionReason.TargetNotAllowed;
  }

  /** On the hot path: the session id onto the ticket and the audit row, in one statement. */
  private async recordRedeemed(
    claims: ImpersonationClaims,
    row: RedeemedRow,
    sessionId: string,
    client: ClientContext,
    now: Date,
  ): Promise<void> {
    await this.sql.query(
      `WITH ticket AS (UPDATE impersonation_tickets SET session_id = $2 WHERE jti = $1)
       INSERT INTO audit_events (occurred_at, type, organization_id, actor_user_id, target_user_id, session_id, reason, ip, user_agent, details)
       VALUES ($3, $4, $5, $6, $7, $2, $8, $9, $10, $11)`,
      [
        claims.jti,
        sessionId,
        now,
        ImpersonationEventType.Redeemed,
        row.organization_id,
        row.admin_id,
        row.id,
        row.reason,
        client.ip,
        client.userAgent,
        { jti: claims.jti },
      ],
      'impersonation_redeemed',
    );
  }

  /**
   * Every refusal is the same 401 to the client and an audit row saying why.
   * The organization, admin and target are recorded only from claims whose
   * signature was ours, so a forged token cannot write into an organization's trail.
   */
  private async reject(why: RejectionReason, claims: Partial<ImpersonationClaims> | undefined, client: ClientContext): Promise<never> {
    const trusted = claims && isUuid(claims.org) ? claims : undefined;
    await this.audit.record({
      type: ImpersonationEventType.Rejected,
      organizationId: trusted?.org ?? null,
      actorUserId: trusted && isUuid(trusted.adm) ? trusted.adm : null,
      targetUserId: trusted && isUuid(trusted.sub) ? trusted.sub : null,
      client,
      details: trusted && isUuid(trusted.jti) ? { why, jti: trusted.jti } : { why },
    });
    this.events.record('impersonation.rejected', client.requestId, { why, jti: trusted && isUuid(trusted.jti) ? trusted.jti : null, ip: client.ip });
    throw invalidToken();
  }
}

const invalidToken = (): ApiException => apiError(ApiErrorCode.IMPERSONATION_TOKEN_INVALID);
