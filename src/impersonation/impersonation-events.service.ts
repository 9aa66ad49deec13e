import { Injectable } from '@nestjs/common';
import type { SessionSnapshot } from '../sessions/session-snapshot';
import { Clock } from '../platform/clock';
import { ImpersonationEventDto, ImpersonationEventsPageDto } from './dto/impersonation-event.response';
import { ImpersonationEventsQueryDto } from './dto/impersonation-events.query';
import { EventRow, ImpersonationRepository } from './impersonation.repository';

const DEFAULT_LIMIT = 20;

/**
 * GET /api/auth/impersonations: the caller's organization's trail, newest first.
 *
 * Besides the recorded audit rows it lists, as `impersonation.ended` with
 * `recorded: false`, impersonated sessions that passed their limit without any
 * request noticing (nobody ends a session that nobody uses). Once a request or
 * refresh notices, the recorded row, dated at the same limit, takes its place.
 */
@Injectable()
export class ImpersonationEvents {
  constructor(
    private readonly repository: ImpersonationRepository,
    private readonly clock: Clock,
  ) {}

  async list(caller: SessionSnapshot, query: ImpersonationEventsQueryDto): Promise<ImpersonationEventsPageDto> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const offset = query.offset ?? 0;
    const rows = await this.repository.events({
      organizationId: caller.organizationId,
      now: this.clock.now(),
      targetUserId: query.targetUserId?.toLowerCase() ?? null,
      adminId: query.adminId?.toLowerCase() ?? null,
      type: query.type ?? null,
      limit: limit + 1,
      offset,
    });
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
