import { DataSource } from 'typeorm';
import { Organization } from '../../src/identity/organizations/organization.entity';
import { User } from '../../src/identity/users/user.entity';
import { OnboardingStatus, WorkspaceUserType } from '../../src/workspace/workspace-membership.entity';
import { Workspace } from '../../src/workspace/workspace.entity';
import { createMembership, createOrganization, createUser, createWorkspace } from '../support/factories';

export const MALLORY_PASSWORD = 'mallory-has-her-own-password';

export interface WorkspaceFixture {
  acme: Organization;
  globex: Organization;
  eu: Workspace;
  us: Workspace;
  bare: Workspace;
  globexHq: Workspace;
  /** Member of eu (default, completed), us (guest, in progress), bare (no settings) and, by bad data, globex-hq. */
  ops: User;
  inactive: User;
  /** One membership (us), not marked default. */
  solo: User;
  /** Two memberships, neither default. */
  undecided: User;
  /** No membership at all. */
  loner: User;
  alice: User;
  /** Her user name is Alice's email address. */
  mallory: User;
  migrated: User;
}

/**
 * Two organizations; in Acme two workspaces with different locales, formats,
 * modules and overlapping roles, plus one with no settings at all.
 */
export async function createWorkspaceFixture(db: DataSource): Promise<WorkspaceFixture> {
  const acme = await createOrganization(db, { slug: 'acme', name: 'Acme', sessionPolicy: { tokenExpiryHours: 3 } });
  const globex = await createOrganization(db, { slug: 'globex', name: 'Globex' });
  const eu = await createWorkspace(db, acme, {
    slug: 'acme-eu',
    name: 'Acme Europe',
    locale: 'de-DE',
    timeZone: 'Europe/Berlin',
    dateTimeFormat: 'dd.MM.yyyy HH:mm',
    dateFormat: 'dd.MM.yyyy',
    timeFormat: 'HH:mm',
    regionCode: 'eu',
    modules: { Boards: true, Booking: false, CurrencyRates: true, WorkInbox: true },
    roles: [
      { name: 'Agent', permissions: ['inbox.reply', 'boards.read'] },
      { name: 'Supervisor', permissions: ['reports.read', 'boards.write', 'boards.read'] },
      { name: 'Auditor', permissions: ['audit.read'] },
    ],
  });
  const us = await createWorkspace(db, acme, {
    slug: 'acme-us',
    name: 'Acme US',
    locale: 'en-US',
    timeZone: 'America/New_York',
    dateTimeFormat: 'MM/dd/yyyy h:mm a',
    dateFormat: 'MM/dd/yyyy',
    timeFormat: 'h:mm a',
    regionCode: 'us',
    modules: { Booking: true, EntitlementOperations: true },
    roles: [
      { name: 'Viewer', permissions: ['boards.read'] },
      { name: 'Planner', permissions: ['booking.write', 'boards.read', 'booking.read'] },
    ],
  });
  const bare = await createWorkspace(db, acme, { slug: 'acme-bare', name: 'Acme Bare', roles: [{ name: 'Agent', permissions: ['inbox.reply'] }] });
  const globexHq = await createWorkspace(db, globex, { slug: 'globex-hq', name: 'Globex HQ', locale: 'en-GB', timeZone: 'Europe/London' });

  const ops = await createUser(db, acme, { email: 'ops@acme.example', userName: 'Ops.Admin', firstName: 'Olga', lastName: 'Ops' });
  await createMembership(db, eu, ops, {
    userType: WorkspaceUserType.Administrator,
    onboardingStatus: OnboardingStatus.Completed,
    roles: ['Supervisor', 'Agent'],
    isDefault: true,
  });
  await createMembership(db, us, ops, { userType: WorkspaceUserType.Guest, onboardingStatus: OnboardingStatus.InProgress, roles: ['Planner', 'Viewer'] });
  await createMembership(db, bare, ops, { userType: WorkspaceUserType.Standard, onboardingStatus: OnboardingStatus.NotStarted, roles: ['Agent', 'Ghost'] });
  await createMembership(db, globexHq, ops, { roles: [] });

  const inactive = await createUser(db, acme, { email: 'inactive@acme.example', userName: 'sleeper', active: false });
  await createMembership(db, eu, inactive, { isDefault: true, roles: ['Agent'] });
  const solo = await createUser(db, acme, { email: 'solo@acme.example' });
  await createMembership(db, us, solo, { roles: ['Viewer'] });
  const undecided = await createUser(db, acme, { email: 'undecided@acme.example' });
  await createMembership(db, us, undecided, { roles: ['Viewer'] });
  await createMembership(db, eu, undecided, { roles: ['Agent'] });
  const loner = await createUser(db, acme, { email: 'loner@acme.example' });

  const alice = await createUser(db, acme, { email: 'alice@acme.example', firstName: 'Alice' });
  await createMembership(db, eu, alice, { isDefault: true, roles: ['Agent'] });
  // Bad or legacy data: a user name that is someone else's email. It must never open Alice's account.
  const mallory = await createUser(db, acme, {
    email: 'mallory@acme.example',
    userName: 'alice@acme.example',
    firstName: 'Mallory',
    password: MALLORY_PASSWORD,
  });
  await createMembership(db, eu, mallory, { isDefault: true, roles: ['Auditor'] });

  const migrated = await createUser(db, acme, {
    email: 'migrated@acme.example',
    workosUserId: 'user_01MIGRATED',
    migratedAt: new Date('2026-01-01T00:00:00Z'),
    passwordHash: null,
  });
  await createMembership(db, eu, migrated, { isDefault: true, roles: ['Agent'] });

  return { acme, globex, eu, us, bare, globexHq, ops, inactive, solo, undecided, loner, alice, mallory, migrated };
}

/** The payload of a JWT, unverified: tests look at claims, the server verifies them. */
export const claimsOf = (jwt: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
