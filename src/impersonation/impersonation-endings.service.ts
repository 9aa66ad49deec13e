import { Injectable, Logger } from '@nestjs/common';
import { SessionEndReason, SessionMethod } from '../sessions/session.entity';
import type { SessionSnapshot } from '../sessions/session-snapshot';
import { SessionsService } from '../sessions/sessions.service';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../platform/clock';
import { ApiErrorCode } from '../platform/errors/api-error-code';
import { apiError } from '../platform/errors/api.exception';
import type { ClientContext } from '../platform/http/client-context';
import { Sql } from '../platform/database/sql.service';
import { ImpersonationEventType } from './impersonation-audit';
import { isUuid } from '../platform/uuid';

/** Who ended a session and from where, when a request did it (logout, an admin's early end). */
export interface EndAttribution {
  actorUserId: string;
  client: ClientContext;
  reason?: string | null;
  endedBy?: 'admin';
}

interface EndedSessionRow {
  organization_id: string;
  user_id: string;
  impersonator_id: string | null;
  expires_at: Date;
}

/**
 * The end of every impersonated session goes into the audit trail, whatever
 * ended it: SessionsService tells every listener once, on the instance whose
 * UPDATE ended the session, so each end is recorded exactly once.
 *
 * Ends caused by a request (logout, early end) carry that request's actor, IP
 * and user agent; ends the server decides (expiry, idle timeout, deactivation,
 * refresh-token reuse) carry none. An expiry is dated at the session's limit,
 * not when it was noticed, so it matches what the listing computes for
 * sessions that expired while nobody was looking.
 */
@Injectable()
export class ImpersonationEndings {
  private readonly logger = new Logger(ImpersonationEndings.name);
  /** Attribution for ends this instance is causing right now; the listener runs inside `sessions.end`. */
  private readonly attributions = new Map<string, EndAttribution>();

  constructor(
    private readonly sessions: SessionsService,
    private readonly sql: Sql,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {
    sessions.onEnded((event) => this.recordEnd(event.sessionId, event.reason, event.at));
  }

  /** Ends a session on behalf of a request, so its audit row names who did it and from where. */
  async end(sessionId: string, reason: SessionEndReason, attribution: EndAttribution): Promise<boolean> {
    this.attributions.set(sessionId, attribution);
    try {
      return await this.sessions.end(sessionId, reason, this.clock.now());
    } finally {
      this.attributions.delete(sessionId);
    }
  }

  /** Logout of an impersonated session: the admin behind it is the actor. */
  async logout(session: SessionSnapshot, client: ClientContext): Promise<void> {
    await this.end(session.sessionId, SessionEndReason.Logout, {
      actorUserId: session.impersonator?.id ?? session.userId,
      client,
    });
  }

  /**
   * An admin ends an impersonated session of their organization early. Its
   * tokens answer SESSION_REVOKED at once on this instance, and on the others
   * within the liveness cache's bound (SESSION_CACHE_MS, at most 5 s).
   * Ending one that has already ended is a no-op (still 204).
   */
  async endEarly(caller: SessionSnapshot, sessionId: string, reason: string | undefined, client: ClientContext): Promise<void> {
    const { rows } = isUuid(sessionId)
      ? await this.sql.query<{ id: string }>(
          `SELECT id FROM sessions WHERE id = $1 AND organization_id = $2 AND method = $3`,
          [sessionId.toLowerCase(), caller.organizationId, SessionMethod.Impersonation],
        )
      : { rows: [] };
    if (rows.length === 0) throw apiError(ApiErrorCode.NOT_FOUND, 'No impersonated session with this id in your organization.');
    await this.end(rows[0].id, SessionEndReason.Revoked, {
      actorUserId: caller.userId,
      client,
      reason: reason && reason.trim().length > 0 ? reason : null,
      endedBy: 'admin',
    });
  }

  private async recordEnd(sessionId: string, endReason: SessionEndReason, at: Date): Promise<void> {
    const { rows } = await this.sql.query<EndedSessionRow>(
      `SELECT organization_id, user_id, impersonator_id, expires_at FROM sessions WHERE id = $1 AND method = $2`,
      [sessionId, SessionMethod.Impersonation],
      'impersonation_ended_lookup',
    );
    const session = rows[0];
    if (!session) return;
    const attribution = this.attributions.get(sessionId);
    const expired = endReason === SessionEndReason.Expired;
    const occurredAt = expired && session.expires_at.getTime() < at.getTime() ? session.expires_at : at;
    const details: Record<string, unknown> = { endReason, impersonatorId: session.impersonator_id };
    if (attribution?.endedBy) details.endedBy = attribution.endedBy;
    if (occurredAt !== at) details.detectedAt = at.toISOString();
    await this.audit.record({
      type: ImpersonationEventType.Ended,
      organizationId: session.organization_id,
      actorUserId: attribution?.actorUserId ?? session.impersonator_id,
      targetUserId: session.user_id,
      sessionId,
      reason: attribution?.reason ?? null,
      client: attribution?.client ?? null,
      occurredAt,
      details,
    });
    this.logger.debug(`impersonated session ${sessionId} ended: ${endReason}`);
  }
}
