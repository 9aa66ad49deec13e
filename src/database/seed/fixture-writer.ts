import { isDeepStrictEqual } from 'node:util';
import { EntityManager, ObjectLiteral } from 'typeorm';
import type { PasswordHasher } from '../../auth/passwords/password-hasher.service';
import { SessionEndReason } from '../../auth/sessions/session.entity';
import { Organization } from '../../organizations/organization.entity';
import { normalizeUserName } from '../../users/normalize';
import { User } from '../../users/user.entity';
import { WorkspaceMembership } from '../../workspace/workspace-membership.entity';
import { Workspace } from '../../workspace/workspace.entity';
import type { ExistingRecords } from './existing-records';
import type { Fixture, FixtureUser } from './fixture.types';
import { emptyCounts, SectionCounts, SeedSummary } from './seed-summary';
import { END_ALL_FOR_USER } from '../../auth/sessions/sessions.service';

export interface WriterDeps {
  hasher: Pick<PasswordHasher, 'hash' | 'verify'>;
  now: Date;
}

/** The fields of `desired` whose value differs from `current`; empty when the row is already right. */
function changes<T extends ObjectLiteral>(current: T, desired: Partial<T>): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(desired) as (keyof T)[]) {
    if (!isDeepStrictEqual(current[key], desired[key])) out[key] = desired[key];
  }
  return out;
}

/**
 * Writes a validated, conflict-free fixture with the caller's transaction:
 * creates what is missing, updates in place what differs (ids stay), leaves
 * the rest alone, and never deletes. Runs inside `loadFixture`.
 */
export async function writeFixture(
  manager: EntityManager,
  fixture: Fixture,
  existing: ExistingRecords,
  deps: WriterDeps,
): Promise<SeedSummary> {
  const orgIds = new Map<string, string>();
  const organizations = await upsert(
    manager,
    Organization,
    fixture.organizations.map((o) => ({
      current: existing.organizationsBySlug.get(o.slug),
      desired: {
        slug: o.slug,
        name: o.name,
        workosOrganizationId: o.workosOrganizationId,
        sessionPolicy: o.sessionPolicy,
        lazyWorkosMigration: o.lazyWorkosMigration,
      },
      saved: (row: Organization) => orgIds.set(row.slug, row.id),
    })),
  );

  const { counts: users, userIds, sessionsEnded } = await writeUsers(manager, fixture.users, existing, orgIds, deps);

  const workspaceIds = new Map<string, string>();
  const workspaces = await upsert(
    manager,
    Workspace,
    fixture.workspaces.map((w) => ({
      current: existing.workspacesBySlug.get(w.slug),
      desired: {
        slug: w.slug,
        organizationId: orgIds.get(w.organization) as string,
        name: w.name,
        locale: w.locale,
        timeZone: w.timeZone,
        dateTimeFormat: w.dateTimeFormat,
        dateFormat: w.dateFormat,
        timeFormat: w.timeFormat,
        regionCode: w.regionCode,
        modules: w.modules,
        roles: w.roles,
      },
      saved: (row: Workspace) => workspaceIds.set(row.slug, row.id),
    })),
  );

  const memberships = await writeMemberships(manager, fixture, existing, userIds, workspaceIds);
  return { organizations, users, workspaces, memberships, sessionsEnded };
}

interface Upsert<T> {
  current: T | undefined;
  desired: Partial<T>;
  saved: (row: T) => void;
}

async function upsert<T extends ObjectLiteral & { id: string }>(
  manager: EntityManager,
  entity: new () => T,
  items: Upsert<T>[],
): Promise<SectionCounts> {
  const repo = manager.getRepository(entity);
  const counts = emptyCounts();
  for (const { current, desired, saved } of items) {
    if (!current) {
      saved(await repo.save(repo.create(desired as T)));
      counts.created++;
      continue;
    }
    const diff = changes(current, desired);
    if (Object.keys(diff).length > 0) {
      await repo.update(current.id, diff);
      counts.updated++;
    } else {
      counts.unchanged++;
    }
    saved(current);
  }
  return counts;
}

interface CredentialColumns {
  passwordHash: string | null;
  workosUserId: string | null;
  migratedAt: Date | null;
}

/**
 * The credential columns a fixture user should have. A `password` that the
 * stored hash already verifies keeps that hash: re-running a fixture is not a
 * password change. A WorkOS user id makes the user migrated (no local hash).
 * Password users keep any WorkOS link SSO made; they are just not migrated.
 */
async function credentialColumns(user: FixtureUser, current: User | undefined, deps: WriterDeps): Promise<CredentialColumns> {
  const c = user.credential;
  const link = current?.workosUserId ?? null;
  switch (c.kind) {
    case 'password': {
      const local = current !== undefined && current.migratedAt === null && current.passwordHash !== null;
      if (local && (await deps.hasher.verify(c.password, current.passwordHash))) {
        return { passwordHash: current.passwordHash, workosUserId: link, migratedAt: null };
      }
      return { passwordHash: await deps.hasher.hash(c.password), workosUserId: link, migratedAt: null };
    }
    case 'passwordHash':
      return { passwordHash: c.passwordHash, workosUserId: link, migratedAt: null };
    case 'workos': {
      const already = current?.migratedAt && current.workosUserId === c.workosUserId ? current.migratedAt : null;
      return { passwordHash: null, workosUserId: c.workosUserId, migratedAt: already ?? deps.now };
    }
  }
}

const credentialsChanged = (current: User, next: CredentialColumns): boolean =>
  current.passwordHash !== next.passwordHash ||
  (current.migratedAt === null) !== (next.migratedAt === null) ||
  (next.migratedAt !== null && current.workosUserId !== next.workosUserId);

async function writeUsers(
  manager: EntityManager,
  users: FixtureUser[],
  existing: ExistingRecords,
  orgIds: Map<string, string>,
  deps: WriterDeps,
): Promise<{ counts: SectionCounts; userIds: Map<string, string>; sessionsEnded: number }> {
  // bcrypt runs on libuv's thread pool: hash and verify every user's password at once.
  const credentials = await Promise.all(users.map((u) => credentialColumns(u, existing.usersByEmail.get(u.email), deps)));
  const userIds = new Map<string, string>();
  const ending: { userId: string; reason: SessionEndReason }[] = [];
  const counts = await upsert(
    manager,
    User,
    users.map((u, i) => {
      const current = existing.usersByEmail.get(u.email);
      const next = credentials[i];
      if (current && current.active && !u.active) ending.push({ userId: current.id, reason: SessionEndReason.UserDeactivated });
      else if (current && credentialsChanged(current, next)) ending.push({ userId: current.id, reason: SessionEndReason.CredentialsChanged });
      return {
        current,
        desired: {
          email: u.email,
          organizationId: orgIds.get(u.organization) as string,
          firstName: u.firstName,
          lastName: u.lastName,
          accessRole: u.accessRole,
          userName: u.userName,
          userNameKey: u.userName === null ? null : normalizeUserName(u.userName),
          conversationOpenPreference: u.conversationOpenPreference,
          active: u.active,
          ...next,
        },
        saved: (row: User) => userIds.set(row.email, row.id),
      };
    }),
  );
  // The contract: a user made inactive, or whose password changes, loses every session at once.
  let sessionsEnded = 0;
  for (const { userId, reason } of ending) {
    const ended: unknown[] = await manager.query(END_ALL_FOR_USER, [userId, deps.now, reason]);
    sessionsEnded += ended.length;
  }
  return { counts, userIds, sessionsEnded };
}

/**
 * Memberships by workspace + user. A user has at most one default membership
 * (a partial unique index): defaults being taken away are cleared first,
 * including on memberships the file does not list, before any is set.
 */
async function writeMemberships(
  manager: EntityManager,
  fixture: Fixture,
  existing: ExistingRecords,
  userIds: Map<string, string>,
  workspaceIds: Map<string, string>,
): Promise<SectionCounts> {
  const repo = manager.getRepository(WorkspaceMembership);
  const keyOf = (workspaceId: string, userId: string) => `${workspaceId}:${userId}`;
  const currentByKey = new Map(existing.memberships.map((m) => [keyOf(m.workspaceId, m.userId), m]));
  const wanted = fixture.memberships.map((m) => ({
    workspaceId: workspaceIds.get(m.workspace) as string,
    userId: userIds.get(m.email) as string,
    userType: m.userType,
    onboardingStatus: m.onboardingStatus,
    roles: m.roles,
    isDefault: m.default,
  }));
  const wantedByKey = new Map(wanted.map((w) => [keyOf(w.workspaceId, w.userId), w]));
  const usersWithDefault = new Set(wanted.filter((w) => w.isDefault).map((w) => w.userId));

  const touched = new Set<string>();
  for (const current of existing.memberships) {
    const want = wantedByKey.get(keyOf(current.workspaceId, current.userId));
    const keepsDefault = want ? want.isDefault : !usersWithDefault.has(current.userId);
    if (current.isDefault && !keepsDefault) {
      await repo.update(current.id, { isDefault: false });
      current.isDefault = false;
      touched.add(current.id);
    }
  }

  const counts = emptyCounts();
  for (const want of wanted) {
    const current = currentByKey.get(keyOf(want.workspaceId, want.userId));
    if (!current) {
      await repo.save(repo.create(want));
      counts.created++;
      continue;
    }
    const diff = changes(current, want);
    if (Object.keys(diff).length > 0) {
      await repo.update(current.id, diff);
      touched.add(current.id);
    }
    if (touched.has(current.id)) {
      counts.updated++;
      touched.delete(current.id);
    } else {
      counts.unchanged++;
    }
  }
  // Memberships outside the file that lost their default flag were changed too.
  counts.updated += touched.size;
  return counts;
}
