import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ApiErrorCode } from '../platform/errors/api-error-code';
import type { User } from '../identity/users/user.entity';
import { WorkspaceApiException } from './envelope/workspace-failure';
import { WorkspaceMembership } from './workspace-membership.entity';
import { Workspace } from './workspace.entity';

export interface WorkspaceAccess {
  workspace: Workspace;
  membership: WorkspaceMembership;
}

const denied = (message: string, reason: string, extra: Record<string, string> = {}) =>
  new WorkspaceApiException(ApiErrorCode.WORKSPACE_ACCESS_DENIED, message, {
    Target: 'Workspace',
    Metadata: { Reason: reason, ...extra },
  });

/**
 * Which workspace a signed-in user gets. Only memberships of workspaces in the
 * user's own organization count: a membership row pointing across organizations
 * (bad data) never opens anything.
 */
@Injectable()
export class WorkspaceAccessService {
  constructor(@InjectRepository(WorkspaceMembership) private readonly memberships: Repository<WorkspaceMembership>) {}

  /**
   * The `X-Workspace` slug if given, else the default membership, else the only
   * membership. Called after the password was checked; an unknown slug and a
   * workspace the user is not a member of get the same answer.
   */
  async resolve(user: Pick<User, 'id' | 'organizationId'>, slug: string | null): Promise<WorkspaceAccess> {
    if (slug !== null) {
      const membership = await this.memberships.findOne({
        where: { userId: user.id, workspace: { slug, organizationId: user.organizationId } },
        relations: { workspace: true },
      });
      if (!membership?.workspace) throw denied('You do not have access to this workspace.', 'NotAMember');
      return { workspace: membership.workspace, membership };
    }
    const candidates = await this.memberships.find({
      where: { userId: user.id, workspace: { organizationId: user.organizationId } },
      relations: { workspace: true },
      order: { isDefault: 'DESC', workspace: { slug: 'ASC' } },
    });
    const chosen = candidates[0]?.isDefault || candidates.length === 1 ? candidates[0] : undefined;
    if (chosen?.workspace) return { workspace: chosen.workspace, membership: chosen };
    if (candidates.length === 0) throw denied('You are not a member of any workspace.', 'NoMembership');
    // The password was right: the user may learn their own workspaces, so the SPA can offer a choice.
    throw denied('You have no default workspace; choose one with the X-Workspace header.', 'NoDefaultWorkspace', {
      Workspaces: candidates.map((m) => m.workspace?.slug ?? '').join(','),
    });
  }

  /** The membership behind a workspace session; gone (removed since login) means no more access. */
  async forSession(user: Pick<User, 'id' | 'organizationId'>, workspaceId: string): Promise<WorkspaceAccess> {
    const membership = await this.memberships.findOne({
      where: { userId: user.id, workspaceId, workspace: { organizationId: user.organizationId } },
      relations: { workspace: true },
    });
    if (!membership?.workspace) throw denied('You no longer have access to this workspace.', 'NotAMember');
    return { workspace: membership.workspace, membership };
  }
}
