import { normalizeEmail, normalizeUserName } from '../../users/normalize';
import { isObject, Problems } from './fixture-fields';

export interface RawItem {
  value: unknown;
  path: string;
}

export interface RawSections {
  organizations: RawItem[];
  users: RawItem[];
  workspaces: RawItem[];
  memberships: RawItem[];
}

/** A string field of a raw record, whatever else is wrong with the record. */
const text = (item: RawItem, key: string): string | undefined => {
  const v = isObject(item.value) ? item.value[key] : undefined;
  return typeof v === 'string' ? v : undefined;
};

const roleNamesOf = (item: RawItem): string[] | undefined => {
  const roles = isObject(item.value) ? item.value.roles : undefined;
  if (!Array.isArray(roles)) return undefined;
  return roles.flatMap((r: unknown) => (isObject(r) && typeof r.name === 'string' ? [r.name] : []));
};

/** Natural keys appear once per file; the second occurrence names the first. */
function unique(problems: Problems, items: RawItem[], field: string, keyOf: (item: RawItem) => string | undefined, show: (key: string) => string) {
  const seen = new Map<string, RawItem>();
  for (const item of items) {
    const key = keyOf(item);
    if (key === undefined) continue;
    const first = seen.get(key);
    if (first) problems.add(`${item.path}.${field}`, `duplicate ${show(key)} (also ${first.path})`);
    else seen.set(key, item);
  }
}

/**
 * Duplicate natural keys and references between sections, checked on the raw
 * records: a record refused for another reason still takes part, so one run
 * reports every problem and never calls a refused record "unknown".
 */
export function checkAcrossRecords(problems: Problems, raw: RawSections): void {
  const quoted = (k: string) => `"${k}"`;
  const email = (item: RawItem) => {
    const e = text(item, 'email');
    return e === undefined ? undefined : normalizeEmail(e);
  };
  unique(problems, raw.organizations, 'slug', (o) => text(o, 'slug'), quoted);
  unique(problems, raw.organizations, 'workosOrganizationId', (o) => text(o, 'workosOrganizationId'), quoted);
  unique(problems, raw.users, 'email', email, quoted);
  unique(problems, raw.users, 'userName', (u) => {
    const n = text(u, 'userName');
    return n === undefined ? undefined : normalizeUserName(n);
  }, (k) => `${quoted(k)} (user names are compared case-insensitively)`);
  unique(problems, raw.users, 'workosUserId', (u) => text(u, 'workosUserId'), quoted);
  unique(problems, raw.workspaces, 'slug', (w) => text(w, 'slug'), quoted);
  unique(
    problems,
    raw.memberships,
    'email',
    (m) => {
      const [w, e] = [text(m, 'workspace'), email(m)];
      return w === undefined || e === undefined ? undefined : `${e}" in workspace "${w}`;
    },
    (k) => `membership of "${k}"`,
  );

  const orgs = new Set(raw.organizations.map((o) => text(o, 'slug')));
  const userOrg = new Map(raw.users.map((u) => [email(u), text(u, 'organization')]));
  const workspaces = new Map(raw.workspaces.map((w) => [text(w, 'slug'), w]));
  for (const item of [...raw.users, ...raw.workspaces]) {
    const org = text(item, 'organization');
    if (org !== undefined && !orgs.has(org)) problems.add(`${item.path}.organization`, `unknown organization "${org}"`);
  }

  const defaults = new Map<string, RawItem>();
  for (const m of raw.memberships) {
    const slug = text(m, 'workspace');
    const user = email(m);
    const workspace = slug === undefined ? undefined : workspaces.get(slug);
    if (slug !== undefined && !workspace) problems.add(`${m.path}.workspace`, `unknown workspace "${slug}"`);
    if (user !== undefined && !userOrg.has(user)) problems.add(`${m.path}.email`, `unknown user "${user}"`);
    const [uOrg, wOrg] = [userOrg.get(user), workspace && text(workspace, 'organization')];
    if (uOrg !== undefined && wOrg !== undefined && uOrg !== wOrg) {
      problems.add(m.path, `user "${user}" belongs to organization "${uOrg}" but workspace "${slug}" to "${wOrg}"`);
    }
    const known = workspace && roleNamesOf(workspace);
    const wanted = isObject(m.value) && Array.isArray(m.value.roles) ? (m.value.roles as unknown[]) : [];
    if (known) {
      wanted.forEach((role, i) => {
        if (typeof role === 'string' && !known.includes(role)) {
          problems.add(`${m.path}.roles[${i}]`, `unknown role "${role}" in workspace "${slug}"`);
        }
      });
    }
    if (user !== undefined && isObject(m.value) && m.value.default === true) {
      const first = defaults.get(user);
      if (first) problems.add(`${m.path}.default`, `"${user}" already has a default membership (${first.path})`);
      else defaults.set(user, m);
    }
  }
}
