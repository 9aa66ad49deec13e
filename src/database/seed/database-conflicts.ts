import { normalizeUserName } from '../../users/normalize';
import type { ExistingRecords } from './existing-records';
import type { FixtureProblem } from './fixture-error';
import type { Fixture } from './fixture.types';

/**
 * What a valid file can still not do to this database: take a unique value
 * another record holds, or move a user or workspace to another organization
 * (their sessions, memberships and audit trail belong to the first one).
 */
export function findDatabaseConflicts(fixture: Fixture, existing: ExistingRecords): FixtureProblem[] {
  const problems: FixtureProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  const slugOf = (organizationId: string) => existing.organizationSlugById.get(organizationId) ?? organizationId;
  const orgIdOf = (slug: string) => existing.organizationsBySlug.get(slug)?.id;

  for (const o of fixture.organizations) {
    const holder = o.workosOrganizationId === null ? undefined : existing.organizationsByWorkosId.get(o.workosOrganizationId);
    if (holder && holder.slug !== o.slug) {
      add(`${o.path}.workosOrganizationId`, `"${o.workosOrganizationId}" is already the WorkOS id of organization "${holder.slug}"`);
    }
  }
  for (const u of fixture.users) {
    const current = existing.usersByEmail.get(u.email);
    if (current && current.organizationId !== orgIdOf(u.organization)) {
      add(
        `${u.path}.organization`,
        `"${u.email}" already belongs to organization "${slugOf(current.organizationId)}"; users are not moved between organizations`,
      );
    }
    const nameHolder = u.userName === null ? undefined : existing.usersByUserNameKey.get(normalizeUserName(u.userName));
    if (nameHolder && nameHolder.email !== u.email) add(`${u.path}.userName`, `"${u.userName}" is already the user name of another user`);
    const workosHolder = u.credential.kind === 'workos' ? existing.usersByWorkosUserId.get(u.credential.workosUserId) : undefined;
    if (workosHolder && workosHolder.email !== u.email) {
      add(`${u.path}.workosUserId`, `"${workosHolder.workosUserId}" is already linked to another user`);
    }
  }
  for (const w of fixture.workspaces) {
    const current = existing.workspacesBySlug.get(w.slug);
    if (current && current.organizationId !== orgIdOf(w.organization)) {
      add(
        `${w.path}.organization`,
        `workspace "${w.slug}" already belongs to organization "${slugOf(current.organizationId)}"; workspaces are not moved between organizations`,
      );
    }
  }
  return problems;
}
