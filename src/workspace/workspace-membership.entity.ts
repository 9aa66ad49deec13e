import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { User } from '../identity/users/user.entity';
import { Workspace } from './workspace.entity';

/** The seed's `UserType`: 0 standard, 1 administrator, 2 guest. */
export enum WorkspaceUserType {
  Standard = 0,
  Administrator = 1,
  Guest = 2,
}

/** The seed's `OnboardingStatus`: 0 not started, 1 in progress, 2 completed. */
export enum OnboardingStatus {
  NotStarted = 0,
  InProgress = 1,
  Completed = 2,
}

@Entity('workspace_memberships')
@Unique('uq_membership_workspace_user', ['workspaceId', 'userId'])
@Index('uq_membership_one_default_per_user', ['userId'], { unique: true, where: '"is_default"' })
export class WorkspaceMembership {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: Workspace;

  @Index()
  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ type: 'smallint', default: WorkspaceUserType.Standard })
  userType: WorkspaceUserType;

  @Column({ type: 'smallint', default: OnboardingStatus.NotStarted })
  onboardingStatus: OnboardingStatus;

  /** Role names; each exists in the workspace's `roles`. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  roles: string[];

  @Column({ type: 'boolean', default: false })
  isDefault: boolean;
}
