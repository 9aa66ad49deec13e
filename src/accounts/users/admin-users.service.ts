import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { AuditRecord, AuditService } from '../../audit/audit.service';
import { normalizeEmail, normalizeUserName } from '../../identity/users/normalize';
import { AccessRole } from '../../identity/users/user.entity';
import { AppConfig, InjectConfig } from '../../platform/config/app-config';
import { Clock } from '../../platform/clock';
import { ApiErrorCode } from '../../platform/errors/api-error-code';
import { apiError } from '../../platform/errors/api.exception';
import type { ClientContext } from '../../platform/http/client-context';
import { SessionEndReason } from '../../sessions/session.entity';
import type { EndAttribution } from '../../sessions/session-ended.event';
import type { SessionSnapshot } from '../../sessions/session-snapshot';
import { SessionsService } from '../../sessions/sessions.service';
import { AuditEventType } from '../../audit/audit-event-type';
import { AccountSettings, accountSettingsOf } from '../account-settings';
import { AdminUserDto, CreatedUserDto, UserStatus } from '../dto/admin-user.dto';
import { CreateUserRequest, UpdateUserRequest } from '../dto/admin-user.requests';
import { AccountMail } from '../emails/account-mail.service';
import { AccountTokenKind } from '../tokens/account-token.entity';
import { AccountTokensRepository } from '../tokens/account-tokens.repository';
import { AccountUserRow, AccountUsersRepository, statusOf, UserChanges } from './account-users.repository';
import { AdminViews } from './admin-views';

const userNotFound = () => apiError(ApiErrorCode.USER_NOT_FOUND);

/** A unique violation on `users`, named by its column: which field of the request was taken. */
function takenField(err: unknown): 'email' | 'userName' | null {
  if (!(err instanceof QueryFailedError)) return null;
  const driver = err.driverError as { code?: string; detail?: string };
  if (driver.code !== '23505') return null;
  if (driver.detail?.includes('(email)')) return 'email';
  if (driver.detail?.includes('(user_name_key)')) return 'userName';
  return null;
}

function conflictFor(field: 'email' | 'userName') {
  return field === 'email'
    ? apiError(ApiErrorCode.EMAIL_TAKEN, 'A user with this email already exists.')
    : apiError(ApiErrorCode.USERNAME_TAKEN, 'A user with this user name already exists.');
}

/**
 * The admin API on an organization's users. Who may call it (an ADMIN of that very
 * organization, in their own session) is each route's access rule (`@Authenticated`). Every change is one transaction
 * with its audit rows (and, for deactivation, the end of every session and link),
 * and emails are queued only after it committed.
 */
@Injectable()
export class AdminUsersService {
  private readonly settings: AccountSettings;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: AccountUsersRepository,
    private readonly tokens: AccountTokensRepository,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly mail: AccountMail,
    private readonly clock: Clock,
    private readonly views: AdminViews,
    @InjectConfig() config: AppConfig,
  ) {
    this.settings = accountSettingsOf(config);
  }

  async get(caller: SessionSnapshot, organizationId: string, userId: string): Promise<AdminUserDto> {
    return this.views.one(await this.mustFind(organizationId, userId));
  }

  async create(caller: SessionSnapshot, organizationId: string, body: CreateUserRequest, client: ClientContext): Promise<CreatedUserDto> {
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.settings.invitationTtlMs);
    const email = normalizeEmail(body.email);
    let created: { id: string; token: string; organizationName: string };
    try {
      created = await this.dataSource.transaction(async (manager) => {
        const id = await this.users.insertInvited(manager, {
          organizationId,
          email,
          userName: body.userName ?? null,
          userNameKey: body.userName ? normalizeUserName(body.userName) : null,
          firstName: body.firstName,
          lastName: body.lastName,
          accessRole: body.accessRole ?? AccessRole.MEMBER,
          conversationOpenPreference: body.conversationOpenPreference ?? 'split',
          invitedAt: now,
        });
        const token = await this.tokens.issue(manager, id, AccountTokenKind.Invitation, now, this.settings.invitationTtlMs);
        const base = this.auditBase(caller, organizationId, id, client);
        await this.audit.record({ ...base, type: AuditEventType.UserCreated, details: { email, accessRole: body.accessRole ?? AccessRole.MEMBER } }, manager);
        await this.audit.record({ ...base, type: AuditEventType.UserInvited, details: { expiresAt: expiresAt.toISOString() } }, manager);
        return { id, token, organizationName: await this.organizationName(manager, organizationId) };
      });
    } catch (err) {
      const field = takenField(err);
      if (field) throw conflictFor(field);
      throw err;
    }
    this.mail.sendInvitation(email, body.firstName, created.organizationName, created.token, expiresAt);
    return { user: await this.views.one(await this.mustFind(organizationId, created.id)), invitation: { expiresAt: expiresAt.toISOString() } };
  }

  /**
   * PATCH: the fields given, in one transaction under the organization's lock
   * (the last-admin rule holds when two admins demote each other at once).
   * Deactivation ends every session and link of the user in the same transaction.
   */
  async update(caller: SessionSnapshot, organizationId: string, userId: string, body: UpdateUserRequest, client: ClientContext): Promise<AdminUserDto> {
    const now = this.clock.now();
    try {
      await this.dataSource.transaction(async (manager) => {
        if (!(await this.users.lockOrganization(manager, organizationId))) throw userNotFound();
        const before = await this.users.findInOrganization(organizationId, userId, manager);
        if (!before) throw userNotFound();
        const changes = this.changesOf(before, body);
        const losesAdmin =
          before.active && before.access_role === AccessRole.ADMIN && (changes.active === false || changes.accessRole === AccessRole.MEMBER);
        if (losesAdmin && (await this.users.countActiveAdmins(manager, organizationId)) <= 1) {
          throw apiError(ApiErrorCode.LAST_ADMIN, 'The organization would be left without an active ADMIN.');
        }
        await this.users.update(manager, userId, changes);
        const ended = changes.active === false ? await this.deactivateIn(manager, caller, userId, now, client) : 0;
        await this.auditChanges(manager, caller, organizationId, before, changes, ended, client);
      });
    } catch (err) {
      if (takenField(err) === 'userName') throw conflictFor('userName');
      throw err;
    }
    return this.views.one(await this.mustFind(organizationId, userId));
  }

  /** POST …/sessions/revoke: every session of the user ends. */
  async revokeSessions(caller: SessionSnapshot, organizationId: string, userId: string, client: ClientContext): Promise<void> {
    await this.mustFind(organizationId, userId);
    await this.dataSource.transaction(async (manager) => {
      const ended = await this.sessions.endAllOfUser(userId, SessionEndReason.Revoked, this.byAdmin(caller, client), manager);
      await this.audit.record(
        { ...this.auditBase(caller, organizationId, userId, client), type: AuditEventType.UserSessionsRevoked, details: { sessionsEnded: ended } },
        manager,
      );
    });
  }

  /** POST …/invitation: a new link; the older ones die. Only while the user is `invited`. */
  async resendInvitation(caller: SessionSnapshot, organizationId: string, userId: string, client: ClientContext): Promise<void> {
    const user = await this.mustFind(organizationId, userId);
    if (statusOf(user) !== UserStatus.Invited) throw apiError(ApiErrorCode.NOT_INVITED, 'The user is not waiting for an invitation.');
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.settings.invitationTtlMs);
    const { token, organizationName } = await this.dataSource.transaction(async (manager) => {
      const issued = await this.tokens.issue(manager, userId, AccountTokenKind.Invitation, now, this.settings.invitationTtlMs, true);
      await this.audit.record(
        { ...this.auditBase(caller, organizationId, userId, client), type: AuditEventType.UserInvited, details: { expiresAt: expiresAt.toISOString(), resent: true } },
        manager,
      );
      return { token: issued, organizationName: await this.organizationName(manager, organizationId) };
    });
    this.mail.sendInvitation(user.email, user.first_name, organizationName, token, expiresAt);
  }

  /** POST …/password-reset: a reset link, as if the user had asked; only an active local account gets one. */
  async sendPasswordReset(caller: SessionSnapshot, organizationId: string, userId: string, client: ClientContext): Promise<void> {
    const user = await this.mustFind(organizationId, userId);
    if (user.migrated) {
      throw apiError(ApiErrorCode.PASSWORD_MANAGED_BY_IDENTITY_PROVIDER, 'This account signs in through the identity provider, which manages its password.');
    }
    const now = this.clock.now();
    const token = await this.dataSource.transaction(async (manager) => {
      const issued = user.active ? await this.tokens.issue(manager, userId, AccountTokenKind.PasswordReset, now, this.settings.resetTtlMs) : null;
      await this.audit.record(
        { ...this.auditBase(caller, organizationId, userId, client), type: AuditEventType.PasswordResetSent, details: { sent: issued !== null } },
        manager,
      );
      return issued;
    });
    if (token) this.mail.sendPasswordReset(user.email, user.first_name, token);
  }

  private async mustFind(organizationId: string, userId: string): Promise<AccountUserRow> {
    const user = await this.users.findInOrganization(organizationId, userId);
    if (!user) throw userNotFound();
    return user;
  }

  private async deactivateIn(manager: EntityManager, caller: SessionSnapshot, userId: string, now: Date, client: ClientContext): Promise<number> {
    await this.tokens.killAllForUser(manager, userId, now);
    return this.sessions.endAllOfUser(userId, SessionEndReason.UserDeactivated, this.byAdmin(caller, client), manager);
  }

  private byAdmin(caller: SessionSnapshot, client: ClientContext): EndAttribution {
    return { actorUserId: caller.userId, client, endedBy: 'admin' };
  }

  /** Only what differs from the stored row: a PATCH repeating the current values changes (and audits) nothing. */
  private changesOf(before: AccountUserRow, body: UpdateUserRequest): UserChanges {
    const changes: UserChanges = {};
    if (body.firstName !== undefined && body.firstName !== before.first_name) changes.firstName = body.firstName;
    if (body.lastName !== undefined && body.lastName !== before.last_name) changes.lastName = body.lastName;
    if (body.userName !== undefined && body.userName !== before.user_name) {
      changes.userName = body.userName;
      changes.userNameKey = normalizeUserName(body.userName);
    }
    if (body.accessRole !== undefined && body.accessRole !== before.access_role) changes.accessRole = body.accessRole;
    if (body.active !== undefined && body.active !== before.active) changes.active = body.active;
    return changes;
  }

  private async auditChanges(
    manager: EntityManager,
    caller: SessionSnapshot,
    organizationId: string,
    before: AccountUserRow,
    changes: UserChanges,
    sessionsEnded: number,
    client: ClientContext,
  ): Promise<void> {
    const base = this.auditBase(caller, organizationId, before.id, client);
    const profile: Record<string, { before: unknown; after: unknown }> = {};
    if (changes.firstName !== undefined) profile.firstName = { before: before.first_name, after: changes.firstName };
    if (changes.lastName !== undefined) profile.lastName = { before: before.last_name, after: changes.lastName };
    if (changes.userName !== undefined) profile.userName = { before: before.user_name, after: changes.userName };
    const records: AuditRecord[] = [];
    if (Object.keys(profile).length > 0) records.push({ ...base, type: AuditEventType.UserUpdated, details: { changes: profile } });
    if (changes.accessRole !== undefined) {
      records.push({ ...base, type: AuditEventType.UserRoleChanged, details: { before: before.access_role, after: changes.accessRole } });
    }
    if (changes.active === false) records.push({ ...base, type: AuditEventType.UserDeactivated, details: { sessionsEnded } });
    if (changes.active === true) records.push({ ...base, type: AuditEventType.UserReactivated });
    for (const record of records) await this.audit.record(record, manager);
  }

  private auditBase(caller: SessionSnapshot, organizationId: string, targetUserId: string, client: ClientContext) {
    return { organizationId, actorUserId: caller.userId, targetUserId, sessionId: caller.sessionId, client };
  }

  private async organizationName(manager: EntityManager, organizationId: string): Promise<string> {
    const rows = await manager.query<{ name: string }[]>(`SELECT name FROM organizations WHERE id = $1`, [organizationId]);
    return rows[0]?.name ?? '';
  }
}
