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
import { Organization } from '../identity/organizations/organization.entity';

export const WORKSPACE_MODULES = ['Boards', 'Booking', 'CurrencyRates', 'EntitlementOperations', 'WorkInbox'] as const;
export type WorkspaceModuleName = (typeof WORKSPACE_MODULES)[number];
export type WorkspaceModuleFlags = Partial<Record<WorkspaceModuleName, boolean>>;

export interface WorkspaceRole {
  name: string;
  permissions: string[];
}

@Entity('workspaces')
export class Workspace {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column({ type: 'uuid' })
  organizationId: string;

  @ManyToOne(() => Organization, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id' })
  organization?: Organization;

  /** The seed's `WorkspaceName`. */
  @Column({ type: 'text', unique: true })
  slug: string;

  @Column({ type: 'text' })
  name: string;

  /** Null settings fall back to documented defaults, with a warning at login. */
  @Column({ type: 'text', nullable: true })
  locale: string | null;

  @Column({ type: 'text', nullable: true })
  timeZone: string | null;

  @Column({ type: 'text', nullable: true })
  dateTimeFormat: string | null;

  @Column({ type: 'text', nullable: true })
  dateFormat: string | null;

  @Column({ type: 'text', nullable: true })
  timeFormat: string | null;

  @Column({ type: 'text', nullable: true })
  regionCode: string | null;

  @Column({ type: 'jsonb', default: {} })
  modules: WorkspaceModuleFlags;

  @Column({ type: 'jsonb', default: [] })
  roles: WorkspaceRole[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
