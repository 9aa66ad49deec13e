import { Column, CreateDateColumn, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { User } from '../identity/users/user.entity';

/**
 * A user's TOTP factor: at most one per user. Pending (`confirmedAt` null) from
 * enrollment until the first correct code, active after. The secret is sealed
 * with MFA_ENCRYPTION_KEY (crypto/secret-box.ts); `lastUsedStep` is the RFC 6238
 * time step of the last accepted code, so a code is accepted at most once.
 */
@Entity('mfa_factors')
export class MfaFactor {
  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @OneToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ type: 'text', default: 'totp' })
  type: 'totp';

  @Column({ type: 'text' })
  secretSealed: string;

  @Column({ type: 'timestamptz', nullable: true })
  confirmedAt: Date | null;

  /** bigint: read back as a string by pg. */
  @Column({ type: 'bigint', nullable: true })
  lastUsedStep: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
