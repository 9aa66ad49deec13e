import { Injectable } from '@nestjs/common';
import { fullNameOf } from '../../identity/users/user.entity';
import { TotpFactors } from '../../mfa/totp-factors.service';
import { SessionsService } from '../../sessions/sessions.service';
import type { AdminUserDto } from '../dto/admin-user.dto';
import { AccountUserRow, statusOf } from './account-users.repository';

/**
 * The admin view of users: their row, with what the sessions kernel knows (the last
 * sign-in) and what MFA knows (whether TOTP is on), asked of each through its service,
 * one statement each per page.
 */
@Injectable()
export class AdminViews {
  constructor(
    private readonly sessions: SessionsService,
    private readonly totp: TotpFactors,
  ) {}

  async of(rows: readonly AccountUserRow[]): Promise<AdminUserDto[]> {
    const ids = rows.map((r) => r.id);
    const [lastSignIn, withTotp] = await Promise.all([this.sessions.lastSignInOf(ids), this.totp.activeAmong(ids)]);
    return rows.map((row) => toAdminView(row, lastSignIn.get(row.id) ?? null, withTotp.has(row.id)));
  }

  async one(row: AccountUserRow): Promise<AdminUserDto> {
    return (await this.of([row]))[0];
  }
}

const toAdminView = (row: AccountUserRow, lastLoginAt: Date | null, mfaEnabled: boolean): AdminUserDto => ({
  id: row.id,
  email: row.email,
  userName: row.user_name,
  firstName: row.first_name,
  lastName: row.last_name,
  fullName: fullNameOf({ firstName: row.first_name, lastName: row.last_name }),
  accessRole: row.access_role,
  status: statusOf(row),
  active: row.active,
  migrated: row.migrated,
  mfaEnabled,
  lastLoginAt: lastLoginAt ? lastLoginAt.toISOString() : null,
  createdAt: row.created_at.toISOString(),
});
