import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../../identity/users/user.entity';

/** What a link in an email lets its holder do: both set the password, an invitation also starts the account. */
export enum AccountTokenKind {
  PasswordReset = 'password_reset',
  Invitation = 'invitation',
}

/**
 * A single-use link (password reset, invitation). Only the SHA-256 of the token
 * is stored: the database alone opens no account. `used_at` is set by the one
 * conditional UPDATE that redeems it, so of two redemptions at once only one wins.
 */
@Entity('account_tokens')
export class AccountToken {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('ix_account_tokens_user')
  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ type: 'text' })
  kind: AccountTokenKind;

  @Index('uq_account_tokens_hash', { unique: true })
  @Column({ type: 'bytea' })
  tokenHash: Buffer;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  /** Redeemed, or killed by a newer link, a password change or a deactivation. */
  @Column({ type: 'timestamptz', nullable: true })
  usedAt: Date | null;
}
