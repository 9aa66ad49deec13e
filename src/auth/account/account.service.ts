import { Injectable } from '@nestjs/common';
import { ApiErrorCode } from '../../platform/errors/api-error-code';
import { apiError } from '../../platform/errors/api.exception';
import { validationFailed } from '../../platform/http/api-validation.pipe';
import { UsersService } from '../../identity/users/users.service';
import { PasswordHasher } from '../passwords/password-hasher.service';
import { SessionEndReason } from '../../sessions/session.entity';
import { SessionsService } from '../../sessions/sessions.service';

/**
 * Changes to an account that must end its sessions: the contract says a user
 * made inactive, or whose password changes, loses every session at once.
 * The seam for an admin API (none yet; test/auth/account.e2e.ts drives it).
 * The fixture loader ends sessions through the same SessionsService, inside its
 * own transaction. The user row is written first: were
 * the process to stop between the two steps, the bearer check still refuses
 * an inactive user's sessions on its own.
 */
@Injectable()
export class AccountService {
  constructor(
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsService,
  ) {}

  /** Returns how many live sessions were ended. */
  async deactivate(userId: string): Promise<number> {
    if (!(await this.users.deactivate(userId))) throw apiError(ApiErrorCode.USER_NOT_FOUND);
    return this.sessions.endAllOfUser(userId, SessionEndReason.UserDeactivated);
  }

  /**
   * Sets a new local password and ends every session. For a user migrated to
   * WorkOS this changes only the local hash, which WorkOS-verified logins ignore.
   */
  async changePassword(userId: string, newPassword: string): Promise<number> {
    if (newPassword.length === 0 || !PasswordHasher.isHashable(newPassword)) {
      throw validationFailed([
        { field: 'password', message: 'password must be 1 to 72 bytes and must not repeat itself after a NUL character' },
      ]);
    }
    const hash = await this.hasher.hash(newPassword);
    if (!(await this.users.updatePasswordHash(userId, hash))) throw apiError(ApiErrorCode.USER_NOT_FOUND);
    return this.sessions.endAllOfUser(userId, SessionEndReason.CredentialsChanged);
  }
}
