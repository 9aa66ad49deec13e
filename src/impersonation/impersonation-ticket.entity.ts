import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** The server-side half of an impersonation token: its `jti`, redeemable once. */
@Entity('impersonation_tickets')
// What the retention pruner reads (migrations/1796165217308-RetentionIndexes.ts).
@Index('ix_impersonation_tickets_expires_at', ['expiresAt'])
export class ImpersonationTicket {
  @PrimaryColumn({ type: 'uuid' })
  jti: string;

  @Index()
  @Column({ type: 'uuid' })
  organizationId: string;

  @Column({ type: 'uuid' })
  adminId: string;

  @Column({ type: 'uuid' })
  targetUserId: string;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ type: 'timestamptz' })
  issuedAt: Date;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  /** Set once, by a conditional UPDATE: single use is the database's job. */
  @Column({ type: 'timestamptz', nullable: true })
  redeemedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  sessionId: string | null;
}
