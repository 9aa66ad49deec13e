import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { StoredSessionPolicy } from './session-policy';

@Entity('organizations')
export class Organization {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text', unique: true })
  slug: string;

  @Column({ type: 'text' })
  name: string;

  /** WorkOS organization id, for SSO. */
  @Column({ type: 'text', nullable: true, unique: true })
  workosOrganizationId: string | null;

  /** Only the fields an admin set; the rest take the documented defaults. */
  @Column({ type: 'jsonb', default: {} })
  sessionPolicy: StoredSessionPolicy;

  /** Who must have a second factor: `none`, `admins` or `all` (src/mfa/mfa-policy.ts). */
  @Column({ type: 'text', default: 'none' })
  mfaPolicy: 'none' | 'admins' | 'all';

  /** When true, a successful local login imports that user into WorkOS. */
  @Column({ type: 'boolean', default: false })
  lazyWorkosMigration: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
