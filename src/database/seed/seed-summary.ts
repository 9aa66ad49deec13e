export interface SectionCounts {
  created: number;
  updated: number;
  unchanged: number;
}

/** What a load did, section by section. A second run of the same file is all `unchanged`. */
export interface SeedSummary {
  organizations: SectionCounts;
  users: SectionCounts;
  workspaces: SectionCounts;
  memberships: SectionCounts;
  /** Sessions ended because a user was deactivated or their credentials changed. */
  sessionsEnded: number;
}

export const SECTION_NAMES = ['organizations', 'users', 'workspaces', 'memberships'] as const;

export const emptyCounts = (): SectionCounts => ({ created: 0, updated: 0, unchanged: 0 });

export function formatSummary(summary: SeedSummary): string[] {
  const lines = SECTION_NAMES.map((name) => {
    const c = summary[name];
    return `${name}: ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged`;
  });
  lines.push(`sessions ended: ${summary.sessionsEnded}`);
  return lines;
}

export const changedAnything = (summary: SeedSummary): boolean =>
  summary.sessionsEnded > 0 || SECTION_NAMES.some((n) => summary[n].created + summary[n].updated > 0);
