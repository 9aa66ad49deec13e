import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { ClientContext } from '../platform/http/client-context';
import { ApiErrorCode } from '../platform/errors/api-error-code';
import { apiError } from '../platform/errors/api.exception';
import { isUuid } from '../platform/uuid';
import { SessionEndReason, SessionMethod } from '../sessions/session.entity';
import type { SessionEnded, SessionEndedListener } from '../sessions/session-ended.event';
import type { SessionSnapshot } from '../sessions/session-snapshot';
import { SessionsService } from '../sessions/sessions.service';
import { ImpersonationEventType } from './impersonation-audit';

/**
 * The end of every impersonated session goes into the audit trail, whatever
 * ended it: SessionsService tells every listener once, on the instance whose
 * statement ended the session, so each end is recorded exactly once.
 *
 * Ends caused by a person (logout, an admin's early end, the fixture loader)
 * carry the event's attribution: actor, IP and user agent; ends the server
 * decides (expiry, idle timeout, deactivation, refresh-token reuse, the admin
 * losing their standing) carry none, and name the impersonating admin. An expiry
 * is dated at the session's limit, not when it was noticed, so it matches what
 * the listing computes for sessions that expired while nobody was looking.
 */
@Injectable()
export class ImpersonationEndings implements SessionEndedListener {
  private readonly logger = new Logger(ImpersonationEndings.name);

  constructor(
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
  ) {
    sessions.onEnded(this);
  }

  /**
   * An admin ends an impersonated session of their organization early. Its
   * tokens answer SESSION_REVOKED at once on this instance, and on the others
   * within the liveness cache's bound (SESSION_CACHE_MS, at most 5 s).
   * Ending one that has already ended is a no-op (still 204).
   */
  async endEarly(caller: SessionSnapshot, sessionId: string, reason: string | undefined, client: ClientContext): Promise<void> {
    const id = sessionId.toLowerCase();
    const known =
      isUuid(id) && (await this.sessions.exists(id, { organizationId: caller.organizationId, method: SessionMethod.Impersonation }));
    if (!known) throw apiError(ApiErrorCode.NOT_FOUND, 'No impersonated session with this id in your organization.');
    await this.sessions.end(id, SessionEndReason.Revoked, {
      actorUserId: caller.userId,
      client,
      note: reason && reason.trim().length > 0 ? reason : null,
      endedBy: 'admin',
    });
  }

  async sessionEnded(event: SessionEnded, manager?: EntityManager): Promise<void> {
    if (event.method !== SessionMethod.Impersonation) return;
    const { attribution } = event;
    const expired = event.reason === SessionEndReason.Expired;
    const occurredAt = expired && event.expiresAt.getTime() < event.at.getTime() ? event.expiresAt : event.at;
    const details: Record<string, unknown> = { endReason: event.reason, impersonatorId: event.impersonatorId };
    if (attribution && attribution.endedBy !== 'self') details.endedBy = attribution.endedBy;
    if (occurredAt !== event.at) details.detectedAt = event.at.toISOString();
    await this.audit.record(
      {
        type: ImpersonationEventType.Ended,
        organizationId: event.organizationId,
        actorUserId: attribution ? attribution.actorUserId : event.impersonatorId,
        targetUserId: event.userId,
        sessionId: event.sessionId,
        reason: attribution?.note ?? null,
        client: attribution?.client ?? null,
        occurredAt,
        details,
      },
      manager,
    );
    this.logger.debug(`impersonated session ${event.sessionId} ended: ${event.reason}`);
  }
}
