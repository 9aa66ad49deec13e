import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AccessRole } from '../../identity/users/user.entity';
import { isUuid } from '../../platform/uuid';
import { UserStatus } from '../dto/admin-user.dto';

/** A user row as the admin API and the password flows read it. */
export interface AccountUserRow {
  id: string;
  organization_id: string;
  email: string;
  user_name: string | null;
  first_name: string;
  last_name: string;
  access_role: AccessRole;
  active: boolean;
  invited_at: Date | null;
  migrated: boolean;
  password_hash: string | null;
  created_at: Date;
}

const COLUMNS = `u.id, u.organization_id, u.email, u.user_name, u.first_name, u.last_name, u.access_role, u.active,
  u.invited_at, (u.migrated_at IS NOT NULL AND u.workos_user_id IS NOT NULL) AS migrated, u.password_hash, u.created_at`;

export const statusOf = (row: Pick<AccountUserRow, 'active' | 'invited_at'>): UserStatus =>
  !row.active ? UserStatus.Inactive : row.invited_at ? UserStatus.Invited : UserStatus.Active;

const STATUS_CONDITION: Record<UserStatus, string> = {
  [UserStatus.Inactive]: 'NOT u.active',
  [UserStatus.Invited]: 'u.active AND u.invited_at IS NOT NULL',
  [UserStatus.Active]: 'u.active AND u.invited_at IS NULL',
};

/** `q` matches anywhere in email, user name, first, last or full name; `%`, `_` and `\` are literal. */
const likePattern = (q: string): string => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export interface UserListFilter {
  status?: UserStatus;
  q?: string;
  limit: number;
  offset: number;
}

export interface NewInvitedUser {
  organizationId: string;
  email: string;
  userName: string | null;
  userNameKey: string | null;
  firstName: string;
  lastName: string;
  accessRole: AccessRole;
  conversationOpenPreference: string;
  invitedAt: Date;
}

export interface UserChanges {
  firstName?: string;
  lastName?: string;
  userName?: string;
  userNameKey?: string;
  accessRole?: AccessRole;
  active?: boolean;
}

const CHANGE_COLUMNS: Record<keyof UserChanges, string> = {
  firstName: 'first_name',
  lastName: 'last_name',
  userName: 'user_name',
  userNameKey: 'user_name_key',
  accessRole: 'access_role',
  active: 'active',
};

/**
 * The statements on `users` of the accounts feature: the admin view, the list,
 * invitations, updates and password writes. Writes take the caller's transaction.
 */
@Injectable()
export class AccountUsersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findInOrganization(organizationId: string, userId: string, manager: EntityManager = this.dataSource.manager): Promise<AccountUserRow | null> {
    // Ids are opaque to clients: anything that is not one of ours is simply not found.
    if (!isUuid(userId)) return null;
    const rows = await manager.query<AccountUserRow[]>(`SELECT ${COLUMNS} FROM users u WHERE u.organization_id = $1 AND u.id = $2`, [
      organizationId,
      userId,
    ]);
    return rows[0] ?? null;
  }

  async findById(userId: string): Promise<AccountUserRow | null> {
    const rows = await this.dataSource.query<AccountUserRow[]>(`SELECT ${COLUMNS} FROM users u WHERE u.id = $1`, [userId]);
    return rows[0] ?? null;
  }

  async list(organizationId: string, filter: UserListFilter): Promise<{ rows: AccountUserRow[]; total: number }> {
    const where = ['u.organization_id = $1'];
    const values: unknown[] = [organizationId];
    if (filter.status) where.push(STATUS_CONDITION[filter.status]);
    if (filter.q) {
      values.push(likePattern(filter.q));
      const p = `$${values.length}`;
      where.push(
        `(u.email ILIKE ${p} OR u.user_name ILIKE ${p} OR u.first_name ILIKE ${p} OR u.last_name ILIKE ${p} OR (u.first_name || ' ' || u.last_name) ILIKE ${p})`,
      );
    }
    const condition = where.join(' AND ');
    const [{ total }] = await this.dataSource.query<{ total: number }[]>(`SELECT count(*)::int AS total FROM users u WHERE ${condition}`, values);
    const rows = await this.dataSource.query<AccountUserRow[]>(
      `SELECT ${COLUMNS} FROM users u WHERE ${condition} ORDER BY u.email LIMIT $${values.length + 1} OFFSET $${values.length + 2}`,
      [...values, filter.limit, filter.offset],
    );
    return { rows, total };
  }

  /** Unique violations surface as the database's error (the service names the field). */
  async insertInvited(manager: EntityManager, user: NewInvitedUser): Promise<string> {
    const rows = await manager.query<{ id: string }[]>(
      `INSERT INTO users (organization_id, email, user_name, user_name_key, first_name, last_name, access_role,
                          conversation_open_preference, active, password_hash, invited_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, true, NULL, $9) RETURNING id`,
      [
        user.organizationId,
        user.email,
        user.userName,
        user.userNameKey,
        user.firstName,
        user.lastName,
        user.accessRole,
        user.conversationOpenPreference,
        user.invitedAt,
      ],
    );
    return rows[0].id;
  }

  /**
   * Locks the organization's row for the rest of the transaction: two admins
   * demoting or deactivating each other at once are serialised, so the
   * last-admin rule holds under concurrency.
   */
  async lockOrganization(manager: EntityManager, organizationId: string): Promise<boolean> {
    const rows = await manager.query<{ id: string }[]>(`SELECT id FROM organizations WHERE id = $1 FOR UPDATE`, [organizationId]);
    return rows.length > 0;
  }

  async countActiveAdmins(manager: EntityManager, organizationId: string): Promise<number> {
    const [{ n }] = await manager.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM users WHERE organization_id = $1 AND active AND access_role = $2`,
      [organizationId, AccessRole.ADMIN],
    );
    return n;
  }

  async update(manager: EntityManager, userId: string, changes: UserChanges): Promise<void> {
    const entries = Object.entries(changes).filter(([, v]) => v !== undefined) as [keyof UserChanges, unknown][];
    if (entries.length === 0) return;
    const sets = entries.map(([key], i) => `${CHANGE_COLUMNS[key]} = $${i + 2}`);
    await manager.query(`UPDATE users SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`, [userId, ...entries.map(([, v]) => v)]);
  }

  /**
   * Sets a local password. `expectedHash` (a change): only if the password is
   * still the one just verified. Also ends a pending invitation and marks the email
   * verified (a link in an email reached its owner). False: nothing written.
   */
  async setPassword(manager: EntityManager, userId: string, passwordHash: string, now: Date, expectedHash?: string | null): Promise<boolean> {
    const [, affected] = await manager.query<[unknown[], number]>(
      `UPDATE users SET password_hash = $2, invited_at = NULL, email_verified_at = COALESCE(email_verified_at, $3), updated_at = now()
        WHERE id = $1 AND active AND NOT (migrated_at IS NOT NULL AND workos_user_id IS NOT NULL)
          AND ($4::boolean IS FALSE OR password_hash IS NOT DISTINCT FROM $5)`,
      [userId, passwordHash, now, expectedHash !== undefined, expectedHash ?? null],
    );
    return affected > 0;
  }
}
