import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity('audit_events')
// What the retention pruner reads (migrations/1796165217308-RetentionIndexes.ts).
@Index('ix_audit_events_occurred_at', ['occurredAt'])
@Index('ix_audit_org_time', ['organizationId', 'occurredAt'])
export class AuditEvent {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'timestamptz' })
  occurredAt: Date;

  /** Dotted name, e.g. `impersonation.issued`, `session_policy.updated`. */
  @Index()
  @Column({ type: 'text' })
  type: string;

  @Column({ type: 'uuid', nullable: true })
  organizationId: string | null;

  @Column({ type: 'uuid', nullable: true })
  actorUserId: string | null;

  @Column({ type: 'uuid', nullable: true })
  targetUserId: string | null;

  @Column({ type: 'uuid', nullable: true })
  sessionId: string | null;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ type: 'text', nullable: true })
  ip: string | null;

  @Column({ type: 'text', nullable: true })
  userAgent: string | null;

  @Column({ type: 'jsonb', default: {} })
  details: Record<string, unknown>;
}
