import { fullNameOf } from '../../identity/users/user.entity';
import type { AdminUserDto } from '../dto/admin-user.dto';
import { AccountUserRow, statusOf } from './account-users.repository';

export const toAdminView = (row: AccountUserRow): AdminUserDto => ({
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
  // A confirmed TOTP factor (a pending enrollment is not one).
  mfaEnabled: row.mfa_enabled,
  lastLoginAt: row.last_login_at ? row.last_login_at.toISOString() : null,
  createdAt: row.created_at.toISOString(),
});
