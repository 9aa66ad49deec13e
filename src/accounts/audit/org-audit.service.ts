import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiErrorCode } from '../../platform/errors/api-error-code';
import { ApiException } from '../../platform/errors/api.exception';
import { isUuid } from '../../platform/uuid';
import { OrgAuditEventDto, OrgAuditPageDto, OrgAuditQuery } from '../dto/org-audit.dto';

interface AuditRow {
  id: string;
  type: string;
  occurred_at: Date;
  actor_user_id: string | null;
  actor_email: string | null;
  impersonator_id: string | null;
  impersonator_email: string | null;
  target_user_id: string | null;
  target_email: string | null;
  ip: string | null;
  user_agent: string | null;
  details: Record<string, unknown>;
}

const DEFAULT_LIMIT = 50;

/** The cursor is the last item's (occurredAt, id): stable while new events arrive at the top. */
const encodeCursor = (row: AuditRow): string => Buffer.from(`${row.occurred_at.toISOString()}|${row.id}`, 'utf8').toString('base64url');

function decodeCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(at ?? '');
  if (Number.isNaN(date.getTime()) || !isUuid(id)) {
    throw new ApiException(ApiErrorCode.VALIDATION_FAILED, 'Invalid request: cursor: cursor must be a nextCursor value', [
      { field: 'cursor', message: 'cursor must be a nextCursor value' },
    ]);
  }
  return { at: date, id };
}

const person = (id: string | null, email: string | null) => (id ? { id, email } : null);

/**
 * GET /api/organizations/{orgId}/audit: every audit event of the organization,
 * newest first. An action taken in an impersonated session names the admin
 * behind it: recorded in the event's details, or else read from its session.
 */
@Injectable()
export class OrgAuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(organizationId: string, query: OrgAuditQuery): Promise<OrgAuditPageDto> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const cursor = query.cursor ? decodeCursor(query.cursor) : null;
    const rows = await this.dataSource.query<AuditRow[]>(
      `WITH ev AS (
         SELECT e.*, COALESCE(e.details->>'impersonatorId', s.impersonator_id::text) AS impersonator_text
           FROM audit_events e LEFT JOIN sessions s ON s.id = e.session_id
          WHERE e.organization_id = $1
            AND ($2::text IS NULL OR e.type = $2)
            AND ($3::uuid IS NULL OR e.actor_user_id = $3)
            AND ($4::uuid IS NULL OR e.target_user_id = $4)
            AND ($5::timestamptz IS NULL OR e.occurred_at >= $5)
            AND ($6::timestamptz IS NULL OR e.occurred_at < $6)
            AND ($7::timestamptz IS NULL OR (e.occurred_at, e.id) < ($7, $8::uuid))
          ORDER BY e.occurred_at DESC, e.id DESC
          LIMIT $9
       )
       SELECT ev.id, ev.type, ev.occurred_at, ev.actor_user_id, a.email AS actor_email,
              imp.id AS impersonator_id, imp.email AS impersonator_email,
              ev.target_user_id, t.email AS target_email, ev.ip, ev.user_agent, ev.details
         FROM ev
         LEFT JOIN users a ON a.id = ev.actor_user_id
         LEFT JOIN users t ON t.id = ev.target_user_id
         LEFT JOIN users imp ON imp.id::text = ev.impersonator_text
        ORDER BY ev.occurred_at DESC, ev.id DESC`,
      [
        organizationId,
        query.type ?? null,
        query.actorId?.toLowerCase() ?? null,
        query.targetUserId?.toLowerCase() ?? null,
        query.since ? new Date(query.since) : null,
        query.until ? new Date(query.until) : null,
        cursor?.at ?? null,
        cursor?.id ?? null,
        limit + 1,
      ],
    );
    const page = rows.slice(0, limit);
    return {
      items: page.map(toEventDto),
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]) : null,
    };
  }
}

function toEventDto(row: AuditRow): OrgAuditEventDto {
  return {
    id: row.id,
    type: row.type,
    occurredAt: row.occurred_at.toISOString(),
    actor: person(row.actor_user_id, row.actor_email),
    impersonator: person(row.impersonator_id, row.impersonator_email),
    targetUser: person(row.target_user_id, row.target_email),
    ip: row.ip,
    userAgent: row.user_agent,
    details: row.details,
  };
}
