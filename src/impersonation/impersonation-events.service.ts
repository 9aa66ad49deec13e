import { Injectable } from '@nestjs/common';
import { SessionMethod } from '../sessions/session.entity';
import type { SessionSnapshot } from '../sessions/session-snapshot';
import { Clock } from '../platform/clock';
import { Sql } from '../platform/database/sql.service';
import { ImpersonationEventDto, ImpersonationEventsPageDto } from './dto/impersonation-event.response';
import { ImpersonationEventsQueryDto } from './dto/impersonation-events.query';
import { ImpersonationEventType } from './impersonation-audit';

interface EventRow {
  id: string | null;
  type: ImpersonationEventType;
  occurred_at: Date;
  actor_user_id: string | null;
  actor_email: string | null;
  target_user_id: string | null;
  target_email: string | null;
  session_id: string | null;
  reason: string | null;
  ip: string | null;
  user_agent: string | null;
  details: Record<string, unknown>;
  recorded: boolean;
}

const DEFAULT_LIMIT = 20;

/**
 * GET /api/auth/impersonations: the caller's organization's trail, newest first.
 *
 * Besides the recorded audit rows it lists, as `impersonation.ended` with
 * `recorded: false`, impersonated sessions that passed their limit without any
 * request noticing (nobody ends a session that nobody uses). Once a request or
 * refresh notices, the recorded row, dated at the same limit, takes its place.
 * Raw SQL because it is one UNION over two tables, which the ORM cannot express.
 */
@Injectable()
export class ImpersonationEvents {
  constructor(
    private readonly sql: Sql,
    private readonly clock: Clock,
  ) {}

  async list(caller: SessionSnapshot, query: ImpersonationEventsQueryDto): Promise<ImpersonationEventsPageDto> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const offset = query.offset ?? 0;
    const { rows } = await this.sql.query<EventRow>(
      `WITH ev AS (
         SELECT e.id::text AS id, e.type, e.occurred_at, e.actor_user_id, e.target_user_id, e.session_id,
                e.reason, e.ip, e.user_agent, e.details, true AS recorded
           FROM audit_events e
          WHERE e.organization_id = $1 AND e.type LIKE 'impersonation.%'
         UNION ALL
         SELECT NULL, $3, s.expires_at, s.impersonator_id, s.user_id, s.id,
                NULL, NULL, NULL, jsonb_build_object('endReason', 'expired', 'impersonatorId', s.impersonator_id), false
           FROM sessions s
          WHERE s.organization_id = $1 AND s.method = $4 AND s.ended_at IS NULL AND s.expires_at <= $2
       )
       SELECT ev.*, a.email AS actor_email, t.email AS target_email
         FROM ev
         LEFT JOIN users a ON a.id = ev.actor_user_id
         LEFT JOIN users t ON t.id = ev.target_user_id
        WHERE ($5::uuid IS NULL OR ev.target_user_id = $5::uuid)
          AND ($6::uuid IS NULL OR ev.actor_user_id = $6::uuid OR ev.details->>'impersonatorId' = $6::uuid::text)
          AND ($7::text IS NULL OR ev.type = $7::text)
        ORDER BY ev.occurred_at DESC, COALESCE(ev.id, ev.session_id::text) DESC
        LIMIT $8 OFFSET $9`,
      [
        caller.organizationId,
        this.clock.now(),
        ImpersonationEventType.Ended,
        SessionMethod.Impersonation,
        query.targetUserId?.toLowerCase() ?? null,
        query.adminId?.toLowerCase() ?? null,
        query.type ?? null,
        limit + 1,
        offset,
      ],
    );
    const hasMore = rows.length > limit;
    return {
      items: rows.slice(0, limit).map(toEventDto),
      limit,
      offset,
      nextOffset: hasMore ? offset + limit : null,
    };
  }
}

function toEventDto(row: EventRow): ImpersonationEventDto {
  return {
    id: row.id,
    type: row.type,
    occurredAt: row.occurred_at.toISOString(),
    actor: row.actor_user_id ? { id: row.actor_user_id, email: row.actor_email } : null,
    targetUser: row.target_user_id ? { id: row.target_user_id, email: row.target_email } : null,
    sessionId: row.session_id,
    reason: row.reason,
    ip: row.ip,
    userAgent: row.user_agent,
    details: row.details,
    recorded: row.recorded,
  };
}
