import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
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

  async record(entry: AuditRecord, manager?: EntityManager): Promise<AuditEvent> {
    const repo = manager ? manager.getRepository(AuditEvent) : this.events;
    return repo.save(
      repo.create({
        type: entry.type,
        occurredAt: entry.occurredAt ?? this.clock.now(),
        organizationId: entry.organizationId ?? null,
        actorUserId: entry.actorUserId ?? null,
        targetUserId: entry.targetUserId ?? null,
        sessionId: entry.sessionId ?? null,
        reason: entry.reason ?? null,
        ip: entry.client?.ip ?? null,
        userAgent: entry.client?.userAgent ?? null,
        details: entry.details ?? {},
      }),
    );
  }
}
