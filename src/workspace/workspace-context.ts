import type { User } from '../identity/users/user.entity';
import type { WorkspaceModuleStateDto, WorkspaceUserContextDto } from './dto/workspace-auth.response';
import { warningMessage, WorkspaceMessage } from './envelope/workspace-message';
import { OnboardingStatus, WorkspaceMembership } from './workspace-membership.entity';
import { Workspace, WORKSPACE_MODULES, WorkspaceModuleName } from './workspace.entity';

/**
 * What the SPA gets when a workspace left a setting empty. Neutral, unambiguous
 * choices (ISO-style patterns, UTC), each announced by a warning so nobody
 * mistakes a default for the workspace's choice.
 */
export const WORKSPACE_DEFAULTS = Object.freeze({
  Locale: 'en-US',
  TimeZone: 'UTC',
  DateTimeFormat: 'yyyy-MM-dd HH:mm',
  DateFormat: 'yyyy-MM-dd',
  TimeFormat: 'HH:mm',
});

type DefaultedSetting = keyof typeof WORKSPACE_DEFAULTS;

const WARNING_CODE: Record<DefaultedSetting, string> = {
  Locale: 'LocaleDefaulted',
  TimeZone: 'TimeZoneDefaulted',
  DateTimeFormat: 'FormatDefaulted',
  DateFormat: 'FormatDefaulted',
  TimeFormat: 'FormatDefaulted',
};

export interface WorkspaceContext {
  data: WorkspaceUserContextDto;
  warnings: WorkspaceMessage[];
}

const blank = (v: string | null | undefined): boolean => v === null || v === undefined || v.trim().length === 0;

/** The sorted, unique union of the permission keys of the membership's roles. */
export function permissionsOf(workspace: Pick<Workspace, 'roles'>, roleNames: readonly string[]): string[] {
  const wanted = new Set(roleNames);
  const keys = new Set<string>();
  for (const role of Array.isArray(workspace.roles) ? workspace.roles : []) {
    if (!wanted.has(role.name)) continue;
    for (const key of Array.isArray(role.permissions) ? role.permissions : []) keys.add(key);
  }
  // Code-unit order: the same on every machine and locale, unlike localeCompare.
  return [...keys].sort();
}

/** All five modules, always: one the workspace does not list is disabled. */
function modulesOf(workspace: Pick<Workspace, 'modules'>): Record<WorkspaceModuleName, WorkspaceModuleStateDto> {
  const modules = {} as Record<WorkspaceModuleName, WorkspaceModuleStateDto>;
  for (const name of WORKSPACE_MODULES) modules[name] = { Enabled: workspace.modules?.[name] === true };
  return modules;
}

/**
 * The authenticated user's context in one workspace (the seed's `Data` minus the
 * token) and the warnings that go with it. Pure: the rules of what the SPA is told.
 */
export function buildWorkspaceContext(
  user: Pick<User, 'id' | 'userName' | 'email' | 'firstName' | 'lastName'>,
  workspace: Workspace,
  membership: Pick<WorkspaceMembership, 'userType' | 'onboardingStatus' | 'roles'>,
): WorkspaceContext {
  const warnings: WorkspaceMessage[] = [];
  const setting = (field: DefaultedSetting, value: string | null): string => {
    if (!blank(value)) return value as string;
    const fallback = WORKSPACE_DEFAULTS[field];
    warnings.push(
      warningMessage(WARNING_CODE[field], `The workspace has no ${field}; the default "${fallback}" is used.`, {
        Target: 'Workspace',
        Field: field,
        Metadata: { Default: fallback },
      }),
    );
    return fallback;
  };
  const roles = [...membership.roles];
  const defined = new Set((Array.isArray(workspace.roles) ? workspace.roles : []).map((r) => r.name));
  for (const role of roles.filter((r) => !defined.has(r))) {
    warnings.push(
      warningMessage('RoleNotDefined', `The role "${role}" is not defined in this workspace; it grants no permissions.`, {
        Target: 'Workspace',
        Field: 'Roles',
        Metadata: { Role: role },
      }),
    );
  }
  const data: WorkspaceUserContextDto = {
    UserId: user.id,
    UserName: user.userName,
    Email: user.email,
    FirstName: user.firstName,
    LastName: user.lastName,
    UserType: membership.userType,
    WorkspaceName: workspace.slug,
    Locale: setting('Locale', workspace.locale),
    TimeZone: setting('TimeZone', workspace.timeZone),
    DateTimeFormat: setting('DateTimeFormat', workspace.dateTimeFormat),
    DateFormat: setting('DateFormat', workspace.dateFormat),
    TimeFormat: setting('TimeFormat', workspace.timeFormat),
    RegionCode: blank(workspace.regionCode) ? null : workspace.regionCode,
    OnboardingStatus: membership.onboardingStatus,
    Roles: roles,
    Permissions: permissionsOf(workspace, roles),
    Modules: modulesOf(workspace),
  };
  if (membership.onboardingStatus !== OnboardingStatus.Completed) {
    warnings.unshift(
      warningMessage('OnboardingIncomplete', 'Onboarding in this workspace is not completed.', {
        Target: 'Workspace',
        Field: 'OnboardingStatus',
        Metadata: { OnboardingStatus: String(membership.onboardingStatus) },
      }),
    );
  }
  return { data, warnings };
}
