import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../identity/users/user.entity';

/** How a session was opened; the session policy treats each differently. */
export enum SessionMethod {
  Password = 'password',
  Sso = 'sso',
  Impersonation = 'impersonation',
}

/** Why a session ended; each maps to the 401 code the SPA shows. */
export enum SessionEndReason {
  Logout = 'logout',
  Revoked = 'revoked',
  RefreshReuse = 'refresh_reuse',
  IdleTimeout = 'idle_timeout',
  Expired = 'expired',
  UserDeactivated = 'user_deactivated',
  CredentialsChanged = 'credentials_changed',
  /** The admin behind an impersonated session is no longer an active ADMIN of its organization. */
  ImpersonatorLostAccess = 'impersonator_lost_access',
}

@Entity('sessions')
export class Session {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Index()
  @Column({ type: 'uuid' })
  organizationId: string;

  @Column({ type: 'text' })
  method: SessionMethod;

  /** The admin behind an impersonated session. */
  @Column({ type: 'uuid', nullable: true })
  impersonatorId: string | null;

  /** Set for workspace-scoped sessions (the workspace login API). */
  @Column({ type: 'uuid', nullable: true })
  workspaceId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  /** Coalesced: written at most once per activity window, not per request. */
  @Column({ type: 'timestamptz' })
  lastActivityAt: Date;

  /** The absolute limit: no refresh stretches the session past it. */
  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  /** When this session last proved a second factor (login's second step or a step-up). */
  @Column({ type: 'timestamptz', nullable: true })
  mfaAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  endedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  endReason: SessionEndReason | null;

  @Column({ type: 'text', nullable: true })
  ip: string | null;

  @Column({ type: 'text', nullable: true })
  userAgent: string | null;
}
