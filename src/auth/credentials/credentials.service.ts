import { Injectable, Logger } from '@nestjs/common';
import { ApiErrorCode } from '../../platform/errors/api-error-code';
import { ApiException, apiError } from '../../platform/errors/api.exception';
import { LoginOutcome, MetricsService } from '../../platform/metrics/metrics.service';
import type { ClientContext } from '../../platform/http/client-context';
import { isMigrated, User } from '../../identity/users/user.entity';
import { LoginThrottle } from '../../throttle/login-throttle.service';
import { UsersService } from '../../identity/users/users.service';
import { IdentityProvider } from '../identity-provider/identity-provider';
import { LazyWorkosMigration } from '../identity-provider/migration/lazy-workos-migration.service';
import { PasswordHasher } from '../passwords/password-hasher.service';

function loginOutcomeOf(err: unknown): LoginOutcome {
  if (!(err instanceof ApiException)) return 'error';
  if (err.code === ApiErrorCode.TOO_MANY_ATTEMPTS) return 'throttled';
  // The identity provider accepted the password and asks for a step of its own.
  if (err.code === ApiErrorCode.MFA_REQUIRED || err.code === ApiErrorCode.EMAIL_VERIFICATION_REQUIRED) return 'mfa_required';
  return err.status >= 500 ? 'error' : 'failure';
}

/**
 * Checks a password for a user found by whatever identifier the login API uses.
 * Shared by `/api/auth/login` and `/api/workspace/auth/login`, so both follow the
 * same rules: one bcrypt compare even for unknown users, inactive users refused
 * exactly like a wrong password, migrated users verified by the identity
 * provider alone, and weak or legacy hashes upgraded after a success.
 */
@Injectable()
export class CredentialsService {
  private readonly logger = new Logger(CredentialsService.name);

  constructor(
    private readonly hasher: PasswordHasher,
    private readonly identityProvider: IdentityProvider,
    private readonly users: UsersService,
    private readonly throttle: LoginThrottle,
    private readonly lazyMigration: LazyWorkosMigration,
    private readonly metrics: MetricsService,
  ) {}

  /**
   * The user if the password is theirs; otherwise INVALID_CREDENTIALS (or the identity provider's refusal).
   * `identifier` is what the client typed to name the account: every check is first charged to its
   * failed-login budget, shared by all login paths and instances (429 TOO_MANY_ATTEMPTS once spent).
   * `method` labels the attempt in authgate_logins_total (the login API it came through).
   */
  async verify(identifier: string, user: User | null, password: string, client: ClientContext, method = 'password'): Promise<User> {
    try {
      const verified = await this.throttle.guard({ identifier, client, userId: user?.id }, () => this.check(user, password, client));
      this.metrics.login(method, 'success');
      return verified;
    } catch (err) {
      this.metrics.login(method, loginOutcomeOf(err));
      throw err;
    }
  }

  private async check(user: User | null, password: string, client: ClientContext): Promise<User> {
    if (user && isMigrated(user)) return this.verifyWithIdentityProvider(user, password, client);
    const matches = await this.hasher.verify(password, user?.passwordHash ?? null);
    if (!user || !matches || !user.active) throw apiError(ApiErrorCode.INVALID_CREDENTIALS);
    await this.upgradeHash(user, password);
    // Organizations moving to WorkOS one login at a time: import in the background, never in the way.
    this.lazyMigration.afterLocalLogin(user);
    return user;
  }

  private async verifyWithIdentityProvider(user: User, password: string, client: ClientContext): Promise<User> {
    const result = await this.identityProvider.authenticateWithPassword({
      email: user.email,
      password,
      ipAddress: client.ip,
      userAgent: client.userAgent ?? undefined,
    });
    // The provider vouched for someone else: never let that open this user's account.
    if (result.user.id !== user.workosUserId) throw apiError(ApiErrorCode.INVALID_CREDENTIALS);
    if (!user.active) throw apiError(ApiErrorCode.INVALID_CREDENTIALS);
    return user;
  }

  private async upgradeHash(user: User, password: string): Promise<void> {
    const current = user.passwordHash;
    if (!current || !this.hasher.needsRehash(current)) return;
    try {
      const upgraded = await this.hasher.hash(password);
      if (await this.users.replacePasswordHash(user.id, current, upgraded)) user.passwordHash = upgraded;
    } catch (err) {
      // The login itself succeeded; the upgrade is retried at the next one.
      this.logger.warn(`hash upgrade deferred: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
