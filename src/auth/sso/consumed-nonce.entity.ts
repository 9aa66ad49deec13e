import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Single-use values (SSO `state`): inserting twice fails on the primary key. */
@Entity('consumed_nonces')
// What the retention pruner reads (migrations/1796165217308-RetentionIndexes.ts).
@Index('ix_consumed_nonces_expires_at', ['expiresAt'])
export class ConsumedNonce {
  @PrimaryColumn({ type: 'text' })
  nonce: string;

  @Column({ type: 'text' })
  purpose: string;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;
}
