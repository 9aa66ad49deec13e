import type { StoredSessionPolicy } from '../../session-policy/session-policy';
import type { AccessRole } from '../../users/user.entity';
import type { OnboardingStatus, WorkspaceUserType } from '../../workspace/workspace-membership.entity';
import type { WorkspaceModuleFlags, WorkspaceRole } from '../../workspace/workspace.entity';

/**
 * A fixture after validation (../shared/contract/fixtures.md): every default
 * applied, emails normalised, references known to resolve. The writer trusts it.
 */
export interface Fixture {
  organizations: FixtureOrganization[];
  users: FixtureUser[];
  workspaces: FixtureWorkspace[];
  memberships: FixtureMembership[];
}

export interface FixtureOrganization {
  /** Where it came from, for error messages: `organizations[0]`. */
  path: string;
  slug: string;
  name: string;
  workosOrganizationId: string | null;
  /** Only the fields the file set; the rest take the documented defaults at login. */
  sessionPolicy: StoredSessionPolicy;
  lazyWorkosMigration: boolean;
}

/** Exactly one way to verify the user's password. */
export type FixtureCredential =
  | { kind: 'password'; password: string }
  | { kind: 'passwordHash'; passwordHash: string }
  | { kind: 'workos'; workosUserId: string };

export interface FixtureUser {
  path: string;
  /** Normalised (trimmed, ASCII lower-cased). */
  email: string;
  organization: string;
  firstName: string;
  lastName: string;
  accessRole: AccessRole;
  userName: string | null;
  conversationOpenPreference: string;
  active: boolean;
  credential: FixtureCredential;
}

export interface FixtureWorkspace {
  path: string;
  slug: string;
  organization: string;
  name: string;
  locale: string | null;
  timeZone: string | null;
  dateTimeFormat: string | null;
  dateFormat: string | null;
  timeFormat: string | null;
  regionCode: string | null;
  /** All five flags: those the file did not list are false. */
  modules: Required<WorkspaceModuleFlags>;
  roles: WorkspaceRole[];
}

export interface FixtureMembership {
  path: string;
  workspace: string;
  /** Normalised. */
  email: string;
  userType: WorkspaceUserType;
  onboardingStatus: OnboardingStatus;
  roles: string[];
  default: boolean;
}
