import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Single-use values (SSO `state`): inserting twice fails on the primary key. */
@Entity('consumed_nonces')
export class ConsumedNonce {
  @PrimaryColumn({ type: 'text' })
  nonce: string;

  @Column({ type: 'text' })
  purpose: string;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;
}
