import { randomBytes } from 'node:crypto';
import bcrypt from 'bcrypt';
import { DataSource } from 'typeorm';
import { Organization } from '../../src/identity/organizations/organization.entity';
import { StoredSessionPolicy } from '../../src/identity/organizations/session-policy';
import { normalizeEmail, normalizeUserName } from '../../src/identity/users/normalize';
import { AccessRole, User } from '../../src/identity/users/user.entity';
import { OnboardingStatus, WorkspaceMembership, WorkspaceUserType } from '../../src/workspace/workspace-membership.entity';
import { Workspace } from '../../src/workspace/workspace.entity';

export const PASSWORD = 'CorrectHorseBatteryStaple!';
const hashes = new Map<string, string>();

/** bcrypt at cost 10, computed once per password per test process. */
export async function hashOf(password: string, cost = 10): Promise<string> {
  const key = `${cost}:${password}`;
  if (!hashes.has(key)) hashes.set(key, await bcrypt.hash(password, cost));
  return hashes.get(key) as string;
}

const suffix = () => randomBytes(3).toString('hex');

export async function createOrganization(
  db: DataSource,
  fields: Partial<Omit<Organization, 'sessionPolicy'>> & { sessionPolicy?: StoredSessionPolicy } = {},
): Promise<Organization> {
  const slug = fields.slug ?? `org-${suffix()}`;
  return db.getRepository(Organization).save({ name: fields.name ?? slug, sessionPolicy: {}, ...fields, slug });
}

export interface UserFields extends Partial<User> {
  password?: string;
}

export async function createUser(db: DataSource, organization: Organization, fields: UserFields = {}): Promise<User> {
  const { password, ...rest } = fields;
  const email = normalizeEmail(fields.email ?? `user-${suffix()}@example.test`);
  return db.getRepository(User).save({
    organizationId: organization.id,
    firstName: 'Test',
    lastName: 'User',
    accessRole: AccessRole.MEMBER,
    passwordHash: rest.passwordHash === undefined && !rest.workosUserId ? await hashOf(password ?? PASSWORD) : rest.passwordHash,
    ...rest,
    email,
    userNameKey: rest.userName ? normalizeUserName(rest.userName) : null,
  });
}

export async function createWorkspace(db: DataSource, organization: Organization, fields: Partial<Workspace> = {}): Promise<Workspace> {
  const slug = fields.slug ?? `ws-${suffix()}`;
  return db.getRepository(Workspace).save({ name: slug, modules: {}, roles: [], ...fields, slug, organizationId: organization.id });
}

export async function createMembership(
  db: DataSource,
  workspace: Workspace,
  user: User,
  fields: Partial<WorkspaceMembership> = {},
): Promise<WorkspaceMembership> {
  return db.getRepository(WorkspaceMembership).save({
    userType: WorkspaceUserType.Standard,
    onboardingStatus: OnboardingStatus.Completed,
    roles: [],
    isDefault: false,
    ...fields,
    workspaceId: workspace.id,
    userId: user.id,
  });
}
