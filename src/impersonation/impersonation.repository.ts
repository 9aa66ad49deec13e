import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AppConfig, InjectConfig } from '../platform/config/app-config';
import { sql, SqlStatements } from '../platform/database/sql-statement';
import type { StoredSessionPolicy } from '../identity/organizations/session-policy';
import type { AccessRole } from '../identity/users/user.entity';
import { SessionMethod } from '../sessions/session.entity';
import { ImpersonationEventType } from './impersonation-audit';
import { ImpersonationTicket } from './impersonation-ticket.entity';

/** The ticket just spent, with what the session it opens needs (the target, their organization's policy). */
export interface RedeemedRow {
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

export interface TicketStateRow {
  organization_id: string;
  admin_id: string;
  target_user_id: string;
  redeemed_at: Date | null;
  expires_at: Date;
  admin_ok: boolean;
  target_ok: boolean;
}

export interface TicketClaims {
  jti: string;
  targetUserId: string;
  adminId: string;
  organizationId: string;
  /** Normalized. */
  email: string;
}

export interface EventRow {
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

export interface EventFilter {
  organizationId: string;
  now: Date;
  targetUserId: string | null;
  adminId: string | null;
  type: string | null;
  limit: number;
  offset: number;
}

// Every rule that depends on the database sits in this one WHERE: of N simultaneous
// redemptions on any number of instances, exactly one sets `redeemed_at`.
const CONSUME = sql(
  'impersonation_consume',
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
);

const TICKET_STATE = sql(
  'impersonation_ticket_state',
  `SELECT t.organization_id, t.admin_id, t.target_user_id, t.redeemed_at, t.expires_at,
          COALESCE(a.active AND a.access_role = 'ADMIN' AND a.organization_id = t.organization_id, false) AS admin_ok,
          COALESCE(u.active AND u.access_role <> 'ADMIN' AND u.organization_id = t.organization_id AND u.email = $2, false) AS target_ok
     FROM impersonation_tickets t
     LEFT JOIN users a ON a.id = t.admin_id
     LEFT JOIN users u ON u.id = t.target_user_id
    WHERE t.jti = $1`,
);

const ATTACH_SESSION = sql('impersonation_ticket_session', `UPDATE impersonation_tickets SET session_id = $2 WHERE jti = $1`);

// The trail, plus (as `recorded: false`) impersonated sessions that passed their limit with
// no request to notice: one UNION over two tables, which the ORM cannot express.
const EVENTS = sql(
  'impersonation_events',
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
);

/** Every statement on `impersonation_tickets`, and the reading of the impersonation trail. */
@Injectable()
export class ImpersonationRepository {
  private readonly sql: SqlStatements;

  constructor(@InjectDataSource() private readonly dataSource: DataSource, @InjectConfig() config: AppConfig) {
    this.sql = new SqlStatements(dataSource, config.database.preparedStatements !== false);
  }

  /** In the caller's transaction, with the audit row of the issue. */
  async insertTicket(ticket: Omit<ImpersonationTicket, 'redeemedAt' | 'sessionId'>, manager: EntityManager): Promise<void> {
    await manager.getRepository(ImpersonationTicket).insert({ ...ticket, redeemedAt: null, sessionId: null });
  }

  /** Spends the ticket if every rule holds; undefined otherwise. */
  async consume(claims: TicketClaims, now: Date): Promise<RedeemedRow | undefined> {
    const { rows } = await this.sql.run<RedeemedRow>(CONSUME, [
      claims.jti,
      now,
      claims.targetUserId,
      claims.adminId,
      claims.organizationId,
      claims.email,
    ]);
    return rows[0];
  }

  /** Only on refusal: the ticket's state, to say which rule failed. */
  async ticketState(jti: string, email: string): Promise<TicketStateRow | undefined> {
    return (await this.sql.run<TicketStateRow>(TICKET_STATE, [jti, email])).rows[0];
  }

  async attachSession(jti: string, sessionId: string): Promise<void> {
    await this.sql.run(ATTACH_SESSION, [jti, sessionId]);
  }

  async events(filter: EventFilter): Promise<EventRow[]> {
    const { rows } = await this.sql.run<EventRow>(EVENTS, [
      filter.organizationId,
      filter.now,
      ImpersonationEventType.Ended,
      SessionMethod.Impersonation,
      filter.targetUserId,
      filter.adminId,
      filter.type,
      filter.limit,
      filter.offset,
    ]);
    return rows;
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }
}
