import { EntityManager, In } from 'typeorm';
import { Organization } from '../../organizations/organization.entity';
import { normalizeUserName } from '../../users/normalize';
import { User } from '../../users/user.entity';
import { WorkspaceMembership } from '../../workspace/workspace-membership.entity';
import { Workspace } from '../../workspace/workspace.entity';
import type { Fixture } from './fixture.types';

/** The rows a fixture touches or could collide with, read once inside the load's transaction. */
export interface ExistingRecords {
  organizationsBySlug: Map<string, Organization>;
  /** Organizations holding one of the fixture's WorkOS organization ids. */
  organizationsByWorkosId: Map<string, Organization>;
  usersByEmail: Map<string, User>;
  /** Users holding one of the fixture's user names (by case-insensitive key). */
  usersByUserNameKey: Map<string, User>;
  usersByWorkosUserId: Map<string, User>;
  workspacesBySlug: Map<string, Workspace>;
  /** Every membership of the fixture's existing users, in any workspace. */
  memberships: WorkspaceMembership[];
  /** Slugs of the organizations the rows above belong to, for messages. */
  organizationSlugById: Map<string, string>;
}

const byKey = <T, K>(rows: T[], key: (row: T) => K | null): Map<K, T> => {
  const map = new Map<K, T>();
  for (const row of rows) {
    const k = key(row);
    if (k !== null) map.set(k, row);
  }
  return map;
};

const nonNull = <T>(values: (T | null)[]): T[] => values.filter((v): v is T => v !== null);

export async function readExistingRecords(manager: EntityManager, fixture: Fixture): Promise<ExistingRecords> {
  const organizations = manager.getRepository(Organization);
  const users = manager.getRepository(User);
  const slugs = fixture.organizations.map((o) => o.slug);
  const workosOrgIds = nonNull(fixture.organizations.map((o) => o.workosOrganizationId));
  const emails = fixture.users.map((u) => u.email);
  const userNameKeys = nonNull(fixture.users.map((u) => (u.userName === null ? null : normalizeUserName(u.userName))));
  const workosUserIds = nonNull(fixture.users.map((u) => (u.credential.kind === 'workos' ? u.credential.workosUserId : null)));
  const workspaceSlugs = fixture.workspaces.map((w) => w.slug);

  // One after another: a transaction is one connection, and pg queues rather than runs queries in parallel.
  const orgRows = slugs.length ? await organizations.findBy({ slug: In(slugs) }) : [];
  const orgWorkosRows = workosOrgIds.length ? await organizations.findBy({ workosOrganizationId: In(workosOrgIds) }) : [];
  const userRows = emails.length ? await users.findBy({ email: In(emails) }) : [];
  const userNameRows = userNameKeys.length ? await users.findBy({ userNameKey: In(userNameKeys) }) : [];
  const workosUserRows = workosUserIds.length ? await users.findBy({ workosUserId: In(workosUserIds) }) : [];
  const workspaceRows = workspaceSlugs.length ? await manager.getRepository(Workspace).findBy({ slug: In(workspaceSlugs) }) : [];
  const userIds = userRows.map((u) => u.id);
  const memberships = userIds.length ? await manager.getRepository(WorkspaceMembership).findBy({ userId: In(userIds) }) : [];
  const orgIds = [...new Set([...userRows, ...userNameRows, ...workosUserRows, ...workspaceRows].map((r) => r.organizationId))];
  const owners = orgIds.length ? await organizations.findBy({ id: In(orgIds) }) : [];

  return {
    organizationsBySlug: byKey(orgRows, (o) => o.slug),
    organizationsByWorkosId: byKey(orgWorkosRows, (o) => o.workosOrganizationId),
    usersByEmail: byKey(userRows, (u) => u.email),
    usersByUserNameKey: byKey(userNameRows, (u) => u.userNameKey),
    usersByWorkosUserId: byKey(workosUserRows, (u) => u.workosUserId),
    workspacesBySlug: byKey(workspaceRows, (w) => w.slug),
    memberships,
    organizationSlugById: new Map([...owners, ...orgRows].map((o) => [o.id, o.slug])),
  };
}
