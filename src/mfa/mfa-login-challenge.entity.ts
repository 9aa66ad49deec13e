import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../identity/users/user.entity';

/** What the second step of a login is waiting for. */
export enum MfaChallengePurpose {
  /** A local user with an active TOTP factor: a code or a recovery code. */
  Verify = 'verify',
  /** A local user the organization's policy requires to enroll first. */
  Enroll = 'enroll',
  /** WorkOS answered `mfa_challenge`: the code goes to WorkOS. */
  ProviderMfa = 'provider_mfa',
  /** WorkOS answered `email_verification_required`: the emailed code goes to WorkOS. */
  ProviderEmail = 'provider_email',
}

/**
 * The `mfaToken` (and the email-verification token) between a correct password
 * and the second step. The token itself is never stored, only its SHA-256; it is
 * single use (`consumedAt`), lives 5 minutes and dies at the fifth wrong code.
 * `providerState` is WorkOS's pending authentication, sealed like a TOTP secret.
 */
@Entity('mfa_login_challenges')
export class MfaLoginChallenge {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index({ unique: true })
  @Column({ type: 'bytea' })
  tokenHash: Buffer;

  @Index()
  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ type: 'text' })
  purpose: MfaChallengePurpose;

  @Column({ type: 'integer', default: 0 })
  failedAttempts: number;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Index()
  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  consumedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  providerState: string | null;
}
