import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A failed-login counter (per account, per client IP, or both), when PostgreSQL is the shared store. */
@Entity('throttle_counters')
export class ThrottleCounter {
  @PrimaryColumn({ type: 'text' })
  key: string;

  @Column({ type: 'integer', default: 0 })
  failures: number;

  @Column({ type: 'timestamptz' })
  windowStartedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  lastFailureAt: Date | null;
}
