import { isEmail } from 'class-validator';
import { isBcryptHash, PasswordHasher } from '../../auth/passwords/password-hasher.service';
import { FALLBACK_BEHAVIORS, StoredSessionPolicy } from '../../session-policy/session-policy';
import { normalizeEmail } from '../../users/normalize';
import { AccessRole } from '../../users/user.entity';
import { OnboardingStatus, WorkspaceUserType } from '../../workspace/workspace-membership.entity';
import { WORKSPACE_MODULES, WorkspaceModuleFlags, WorkspaceRole } from '../../workspace/workspace.entity';
import { checkAcrossRecords } from './check-across-records';
import type { FixtureProblem } from './fixture-error';
import { Fields, Problems } from './fixture-fields';
import type {
  Fixture,
  FixtureCredential,
  FixtureMembership,
  FixtureOrganization,
  FixtureUser,
  FixtureWorkspace,
} from './fixture.types';

const SECTIONS = ['organizations', 'users', 'workspaces', 'memberships'] as const;
const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const SLUG_RULE = 'lower-case letters, digits and inner hyphens, at most 63 characters';

export type ValidationResult = { ok: true; fixture: Fixture } | { ok: false; problems: FixtureProblem[] };

/**
 * Checks a whole parsed fixture file against ../shared/contract/fixtures.md
 * without touching the database: types, enums, required fields, unknown keys,
 * duplicate natural keys and references between sections. Every problem is
 * collected; the fixture is returned only when there is none.
 */
export function validateFixture(input: unknown): ValidationResult {
  const problems = new Problems();
  const root = Fields.of(problems, '', input, SECTIONS);
  if (!root) return { ok: false, problems: [{ path: '', message: 'a fixture must be a JSON object with organizations, users, workspaces and memberships' }] };
  const section = (name: (typeof SECTIONS)[number]) => (root.array(name) ?? []).map((value, i) => ({ value, path: `${name}[${i}]` }));
  const raw = {
    organizations: section('organizations'),
    users: section('users'),
    workspaces: section('workspaces'),
    memberships: section('memberships'),
  };

  const organizations = compact(raw.organizations.map((s) => readOrganization(problems, s.path, s.value)));
  const users = compact(raw.users.map((s) => readUser(problems, s.path, s.value)));
  const workspaces = compact(raw.workspaces.map((s) => readWorkspace(problems, s.path, s.value)));
  const memberships = compact(raw.memberships.map((s) => readMembership(problems, s.path, s.value)));
  checkAcrossRecords(problems, raw);

  if (problems.list.length > 0) return { ok: false, problems: inFileOrder(problems.list) };
  return { ok: true, fixture: { organizations, users, workspaces, memberships } };
}

const compact = <T>(items: (T | null)[]): T[] => items.filter((i): i is T => i !== null);

/** Problems sorted by the record they are about, in file order; within a record, as found. */
function inFileOrder(problems: FixtureProblem[]): FixtureProblem[] {
  const rank = (path: string): [number, number] => {
    const m = /^(\w+)\[(\d+)\]/.exec(path);
    const sectionIndex = m ? SECTIONS.indexOf(m[1] as (typeof SECTIONS)[number]) : -1;
    return m && sectionIndex !== -1 ? [sectionIndex, Number(m[2])] : [-1, 0];
  };
  return problems
    .map((p) => ({ p, r: rank(p.path) }))
    .sort((a, b) => a.r[0] - b.r[0] || a.r[1] - b.r[1])
    .map(({ p }) => p);
}

function readOrganization(problems: Problems, path: string, value: unknown): FixtureOrganization | null {
  const f = Fields.of(problems, path, value, ['slug', 'name', 'workosOrganizationId', 'sessionPolicy', 'lazyWorkosMigration']);
  if (!f) return null;
  const slug = slugOf(problems, f, 'slug');
  const name = f.string('name', { required: true });
  const workosOrganizationId = f.nullableString('workosOrganizationId');
  const sessionPolicy = f.has('sessionPolicy') ? readSessionPolicy(problems, f.pathOf('sessionPolicy'), f.raw('sessionPolicy')) : {};
  const lazyWorkosMigration = f.boolean('lazyWorkosMigration') ?? false;
  if (slug === undefined || name === undefined || sessionPolicy === null) return null;
  return { path, slug, name, workosOrganizationId: workosOrganizationId ?? null, sessionPolicy, lazyWorkosMigration };
}

/** The same bounds as `PUT /api/organizations/{orgId}/session-policy`; unset fields keep the documented defaults. */
function readSessionPolicy(problems: Problems, path: string, value: unknown): StoredSessionPolicy | null {
  const f = Fields.of(problems, path, value, [
    'enabled',
    'idleTimeoutMinutes',
    'tokenExpiryHours',
    'warningTimeMinutes',
    'idleTrackingEnabled',
    'ssoSilentRenewalEnabled',
    'ssoFallbackBehavior',
    'passwordSilentRenewalEnabled',
    'passwordFallbackBehavior',
  ]);
  if (!f) return null;
  const policy: StoredSessionPolicy = {
    enabled: f.boolean('enabled'),
    idleTimeoutMinutes: f.integer('idleTimeoutMinutes', 1, 1440),
    tokenExpiryHours: f.integer('tokenExpiryHours', 1, 720),
    warningTimeMinutes: f.integer('warningTimeMinutes', 0, 60),
    idleTrackingEnabled: f.boolean('idleTrackingEnabled'),
    ssoSilentRenewalEnabled: f.boolean('ssoSilentRenewalEnabled'),
    ssoFallbackBehavior: f.oneOf('ssoFallbackBehavior', FALLBACK_BEHAVIORS),
    passwordSilentRenewalEnabled: f.boolean('passwordSilentRenewalEnabled'),
    passwordFallbackBehavior: f.oneOf('passwordFallbackBehavior', FALLBACK_BEHAVIORS),
  };
  // Warning before idle logout must come before the logout itself (defaults: 2 and 30).
  const idle = policy.idleTimeoutMinutes ?? 30;
  const warning = policy.warningTimeMinutes ?? 2;
  if (warning >= idle && (f.has('warningTimeMinutes') || f.has('idleTimeoutMinutes'))) {
    problems.add(f.pathOf('warningTimeMinutes'), `must be smaller than idleTimeoutMinutes (${warning} ≥ ${idle})`);
  }
  // Keep only what the file set, so the stored policy says what an admin would have said.
  return Object.fromEntries(Object.entries(policy).filter(([, v]) => v !== undefined));
}

function readUser(problems: Problems, path: string, value: unknown): FixtureUser | null {
  const f = Fields.of(problems, path, value, [
    'email',
    'organization',
    'firstName',
    'lastName',
    'accessRole',
    'userName',
    'conversationOpenPreference',
    'active',
    'password',
    'passwordHash',
    'workosUserId',
  ]);
  if (!f) return null;
  const rawEmail = f.string('email', { required: true, max: 254 });
  const email = rawEmail === undefined ? undefined : normalizeEmail(rawEmail);
  if (email !== undefined && !isEmail(email)) problems.add(f.pathOf('email'), `must be an email address (got "${rawEmail}")`);
  const organization = f.string('organization', { required: true });
  const firstName = f.has('firstName') && f.raw('firstName') === '' ? '' : f.string('firstName', { max: 100 });
  const lastName = f.has('lastName') && f.raw('lastName') === '' ? '' : f.string('lastName', { max: 100 });
  const accessRole = f.oneOf('accessRole', Object.values(AccessRole), { required: true });
  const userName = f.nullableString('userName', 254);
  if (typeof userName === 'string' && userName.includes('@')) {
    problems.add(f.pathOf('userName'), `must not contain "@" (got "${userName}"): a user name is never mistaken for an email`);
  }
  if (typeof userName === 'string' && userName !== userName.trim()) {
    problems.add(f.pathOf('userName'), 'must not start or end with blanks');
  }
  const conversationOpenPreference = f.string('conversationOpenPreference', { max: 50 }) ?? 'split';
  const active = f.boolean('active') ?? true;
  const credential = readCredential(problems, path, f);
  if (email === undefined || organization === undefined || accessRole === undefined || credential === null) return null;
  return {
    path,
    email,
    organization,
    firstName: firstName ?? '',
    lastName: lastName ?? '',
    accessRole,
    userName: userName ?? null,
    conversationOpenPreference,
    active,
    credential,
  };
}

function readCredential(problems: Problems, path: string, f: Fields): FixtureCredential | null {
  const given = (['password', 'passwordHash', 'workosUserId'] as const).filter((k) => f.has(k));
  if (given.length !== 1) {
    problems.add(
      path,
      given.length === 0
        ? 'needs exactly one of password, passwordHash or workosUserId'
        : `has ${given.join(' and ')}: give exactly one of password, passwordHash or workosUserId`,
    );
    return null;
  }
  const key = given[0];
  const raw = f.raw(key);
  if (key === 'password') {
    if (typeof raw !== 'string' || raw.length === 0) {
      problems.add(f.pathOf(key), 'must be a non-empty string');
      return null;
    }
    if (!PasswordHasher.isHashable(raw)) {
      problems.add(f.pathOf(key), 'must be at most 72 bytes in UTF-8 and must not repeat itself after a NUL character (bcrypt would not see all of it)');
      return null;
    }
    return { kind: 'password', password: raw };
  }
  if (key === 'passwordHash') {
    if (typeof raw !== 'string' || !isBcryptHash(raw)) {
      problems.add(f.pathOf(key), 'must be a bcrypt hash ($2a$, $2b$ or $2y$, a two-digit cost, then 53 characters)');
      return null;
    }
    return { kind: 'passwordHash', passwordHash: raw };
  }
  const workosUserId = f.string(key, { max: 255 });
  return workosUserId === undefined ? null : { kind: 'workos', workosUserId };
}

function readWorkspace(problems: Problems, path: string, value: unknown): FixtureWorkspace | null {
  const f = Fields.of(problems, path, value, [
    'slug',
    'organization',
    'name',
    'locale',
    'timeZone',
    'dateTimeFormat',
    'dateFormat',
    'timeFormat',
    'regionCode',
    'modules',
    'roles',
  ]);
  if (!f) return null;
  const slug = slugOf(problems, f, 'slug');
  const organization = f.string('organization', { required: true });
  const name = f.string('name', { required: true });
  const locale = f.nullableString('locale', 35);
  if (typeof locale === 'string' && !isLocale(locale)) problems.add(f.pathOf('locale'), `must be a BCP 47 locale such as "de-DE" (got "${locale}")`);
  const timeZone = f.nullableString('timeZone', 64);
  if (typeof timeZone === 'string' && !isTimeZone(timeZone)) {
    problems.add(f.pathOf('timeZone'), `must be an IANA time zone such as "Europe/Berlin" (got "${timeZone}")`);
  }
  const dateTimeFormat = f.nullableString('dateTimeFormat', 64);
  const dateFormat = f.nullableString('dateFormat', 64);
  const timeFormat = f.nullableString('timeFormat', 64);
  const regionCode = f.nullableString('regionCode', 32);
  const modules = readModules(problems, f);
  const roles = readRoles(problems, f);
  if (slug === undefined || organization === undefined || name === undefined) return null;
  return {
    path,
    slug,
    organization,
    name,
    locale: locale ?? null,
    timeZone: timeZone ?? null,
    dateTimeFormat: dateTimeFormat ?? null,
    dateFormat: dateFormat ?? null,
    timeFormat: timeFormat ?? null,
    regionCode: regionCode ?? null,
    modules,
    roles,
  };
}

/** All five flags; those not listed are false. */
function readModules(problems: Problems, f: Fields): Required<WorkspaceModuleFlags> {
  const modules = Object.fromEntries(WORKSPACE_MODULES.map((m) => [m, false])) as Required<WorkspaceModuleFlags>;
  if (!f.has('modules')) return modules;
  const m = Fields.of(problems, f.pathOf('modules'), f.raw('modules'), WORKSPACE_MODULES);
  if (!m) return modules;
  for (const name of WORKSPACE_MODULES) modules[name] = m.boolean(name) ?? false;
  return modules;
}

function readRoles(problems: Problems, f: Fields): WorkspaceRole[] {
  const roles: WorkspaceRole[] = [];
  (f.array('roles') ?? []).forEach((value, i) => {
    const path = `${f.pathOf('roles')}[${i}]`;
    const r = Fields.of(problems, path, value, ['name', 'permissions']);
    if (!r) return;
    const name = r.string('name', { required: true, max: 100 });
    const permissions = r.stringList('permissions', 100) ?? [];
    if (name === undefined) return;
    const first = roles.findIndex((role) => role.name === name);
    if (first !== -1) problems.add(r.pathOf('name'), `duplicate role "${name}" (also ${f.pathOf('roles')}[${first}])`);
    else roles.push({ name, permissions });
  });
  return roles;
}

function readMembership(problems: Problems, path: string, value: unknown): FixtureMembership | null {
  const f = Fields.of(problems, path, value, ['workspace', 'email', 'userType', 'onboardingStatus', 'roles', 'default']);
  if (!f) return null;
  const workspace = f.string('workspace', { required: true });
  const email = f.string('email', { required: true, max: 254 });
  const userType = f.oneOf('userType', [WorkspaceUserType.Standard, WorkspaceUserType.Administrator, WorkspaceUserType.Guest]);
  const onboardingStatus = f.oneOf('onboardingStatus', [OnboardingStatus.NotStarted, OnboardingStatus.InProgress, OnboardingStatus.Completed]);
  const roles = f.stringList('roles', 100) ?? [];
  const isDefault = f.boolean('default') ?? false;
  if (workspace === undefined || email === undefined) return null;
  return {
    path,
    workspace,
    email: normalizeEmail(email),
    userType: userType ?? WorkspaceUserType.Standard,
    onboardingStatus: onboardingStatus ?? OnboardingStatus.NotStarted,
    roles,
    default: isDefault,
  };
}

function slugOf(problems: Problems, f: Fields, key: string): string | undefined {
  const slug = f.string(key, { required: true, max: 63 });
  if (slug !== undefined && !SLUG.test(slug)) {
    problems.add(f.pathOf(key), `must be a slug: ${SLUG_RULE} (got "${slug}")`);
    return undefined;
  }
  return slug;
}

function isLocale(locale: string): boolean {
  try {
    return Intl.getCanonicalLocales(locale).length === 1;
  } catch {
    return false;
  }
}

function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

