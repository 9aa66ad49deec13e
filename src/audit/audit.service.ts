import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, QueryDeepPartialEntity, Repository } from 'typeorm';
import { Clock } from '../platform/clock';
import type { ClientContext } from '../platform/http/client-context';
import { AuditEvent } from './audit-event.entity';
import type { AuditEventType } from './audit-event-type';

export interface AuditRecord {
  type: AuditEventType;
  organizationId?: string | null;
  actorUserId?: string | null;
  targetUserId?: string | null;
  sessionId?: string | null;
  reason?: string | null;
  client?: ClientContext | null;
  details?: Record<string, unknown>;
  occurredAt?: Date;
}

/**
 * The one writer of the append-only audit trail (`audit_events`). Pass a transaction's
 * manager to write with the change it records.
 */
@Injectable()
export class AuditService {
  constructor(
    @InjectRepository(AuditEvent) private readonly events: Repository<AuditEvent>,
    private readonly clock: Clock,
  ) {}

  async record(entry: AuditRecord, manager?: EntityManager): Promise<void> {
    const repo = manager ? manager.getRepository(AuditEvent) : this.events;
    // insert, not save: a row is only ever appended, and save plans a persistence (is it new? which
    // columns changed?) and, outside a transaction, wraps its one INSERT in START TRANSACTION and
    // COMMIT: three round trips for one statement, on every audited act (docs/performance.md, "2026-12-04").
    await repo.insert({
      type: entry.type,
      occurredAt: entry.occurredAt ?? this.clock.now(),
      organizationId: entry.organizationId ?? null,
      actorUserId: entry.actorUserId ?? null,
      targetUserId: entry.targetUserId ?? null,
      sessionId: entry.sessionId ?? null,
      reason: entry.reason ?? null,
      ip: entry.client?.ip ?? null,
      userAgent: entry.client?.userAgent ?? null,
      // Any JSON object: insert's deep-partial type cannot follow `unknown` values, save's could.
      details: (entry.details ?? {}) as QueryDeepPartialEntity<Record<string, unknown>>,
    });
  }
}
