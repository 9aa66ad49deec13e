import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Organization } from '../organizations/organization.entity';

export enum AccessRole {
  ADMIN = 'ADMIN',
  MEMBER = 'MEMBER',
}

@Entity('users')
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column({ type: 'uuid' })
  organizationId: string;

  @ManyToOne(() => Organization, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id' })
  organization?: Organization;

  /** Stored normalised (see `normalizeEmail`), so equality is the comparison. */
  @Column({ type: 'text', unique: true })
  email: string;

  /** As the user chose it; `userNameKey` is the case-insensitive unique key. */
  @Column({ type: 'text', nullable: true })
  userName: string | null;

  @Column({ type: 'text', nullable: true, unique: true })
  userNameKey: string | null;

  @Column({ type: 'text', default: '' })
  firstName: string;

  @Column({ type: 'text', default: '' })
  lastName: string;

  @Column({ type: 'enum', enum: AccessRole, enumName: 'access_role', default: AccessRole.MEMBER })
  accessRole: AccessRole;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Column({ type: 'text', default: 'split' })
  conversationOpenPreference: string;

  /** bcrypt hash; null once WorkOS alone verifies the password. */
  @Column({ type: 'text', nullable: true })
  passwordHash: string | null;

  /** Linked WorkOS user (set by SSO linking or by migration). */
  @Column({ type: 'text', nullable: true, unique: true })
  workosUserId: string | null;

  /** Set when WorkOS confirmed the import: from then on WorkOS verifies the password. */
  @Column({ type: 'timestamptz', nullable: true })
  migratedAt: Date | null;

  /** Set when an admin created the user with an invitation; cleared when they set their first password. */
  @Column({ type: 'timestamptz', nullable: true })
  invitedAt: Date | null;

  /** Set when a link sent to the email was used (an invitation accepted, a reset done). */
  @Column({ type: 'timestamptz', nullable: true })
  emailVerifiedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

export const fullNameOf = (u: Pick<User, 'firstName' | 'lastName'>): string =>
  [u.firstName, u.lastName].filter((p) => p.length > 0).join(' ');

export const isMigrated = (u: Pick<User, 'migratedAt' | 'workosUserId'>): boolean =>
  u.migratedAt !== null && u.workosUserId !== null;
