import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../../audit/audit.service';
import { PasswordHasher } from '../../auth/passwords/password-hasher.service';
import { normalizeEmail } from '../../identity/users/normalize';
import { AppConfig, InjectConfig } from '../../platform/config/app-config';
import { Clock } from '../../platform/clock';
import { ApiErrorCode } from '../../platform/errors/api-error-code';
import { apiError, ApiException } from '../../platform/errors/api.exception';
import type { ClientContext } from '../../platform/http/client-context';
import { SessionEndReason } from '../../sessions/session.entity';
import type { SessionSnapshot } from '../../sessions/session-snapshot';
import { SessionsService } from '../../sessions/sessions.service';
import { LoginThrottle } from '../../throttle/login-throttle.service';
import { AuditEventType } from '../../audit/audit-event-type';
import { AccountSettings, accountSettingsOf } from '../account-settings';
import { AccountMail } from '../emails/account-mail.service';
import { AccountTokenKind } from '../tokens/account-token.entity';
import { generateAccountToken, hashAccountToken, isWellFormedAccountToken } from '../tokens/account-token.codec';
import { AccountTokensRepository } from '../tokens/account-tokens.repository';
import { AccountUsersRepository } from '../users/account-users.repository';
import { ForgotPasswordThrottle } from './forgot-throttle';
import { assertStrongPassword } from './weak-password';

const managedByIdentityProvider = () =>
  apiError(ApiErrorCode.PASSWORD_MANAGED_BY_IDENTITY_PROVIDER, 'This account signs in through the identity provider, which manages its password.');

const invalidResetToken = () => apiError(ApiErrorCode.INVALID_RESET_TOKEN, 'The link is invalid, was already used or has expired.');

/**
 * Change, forgot and reset. Whenever a password is written, in the same
 * transaction: the user's sessions end (all of them, or all but the caller's on a
 * change), their outstanding links die and the audit row is written. Either all
 * of it happened or none of it.
 */
@Injectable()
export class PasswordService {
  private readonly settings: AccountSettings;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: AccountUsersRepository,
    private readonly tokens: AccountTokensRepository,
    private readonly hasher: PasswordHasher,
    private readonly loginThrottle: LoginThrottle,
    private readonly forgotThrottle: ForgotPasswordThrottle,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly mail: AccountMail,
    private readonly clock: Clock,
    @InjectConfig() config: AppConfig,
  ) {
    this.settings = accountSettingsOf(config);
  }

  /** POST /api/auth/password: the current session stays, every other one ends. */
  async change(session: SessionSnapshot, currentPassword: string, newPassword: string, client: ClientContext): Promise<void> {
    const user = await this.users.findById(session.userId);
    if (!user) throw apiError(ApiErrorCode.USER_NOT_FOUND);
    if (user.migrated) throw managedByIdentityProvider();
    assertStrongPassword('newPassword', newPassword, { email: user.email, userName: user.user_name });
    // A wrong current password is a failed password check: charged to the account's login budget.
    try {
      await this.loginThrottle.guard({ identifier: user.email, client, userId: user.id }, async () => {
        if (!(await this.hasher.verify(currentPassword, user.password_hash))) throw apiError(ApiErrorCode.INVALID_CREDENTIALS);
      });
    } catch (err) {
      if (err instanceof ApiException && err.code === ApiErrorCode.INVALID_CREDENTIALS) {
        throw apiError(ApiErrorCode.CURRENT_PASSWORD_INCORRECT, 'The current password is not correct.');
      }
      throw err;
    }
    const hash = await this.hasher.hash(newPassword);
    const now = this.clock.now();
    await this.dataSource.transaction(async (manager) => {
      // Only over the hash just verified: a reset or another change in between wins, this one is refused.
      if (!(await this.users.setPassword(manager, user.id, hash, now, user.password_hash))) {
        throw apiError(ApiErrorCode.CURRENT_PASSWORD_INCORRECT, 'The password was changed meanwhile; sign in again.');
      }
      await this.tokens.killAllForUser(manager, user.id, now);
      const ended = await this.sessions.endOthersOfUser(
        user.id,
        session.sessionId,
        SessionEndReason.CredentialsChanged,
        { actorUserId: user.id, client, endedBy: 'self' },
        manager,
      );
      await this.audit.record(
        {
          type: AuditEventType.PasswordChanged,
          organizationId: user.organization_id,
          actorUserId: user.id,
          targetUserId: user.id,
          sessionId: session.sessionId,
          client,
          details: { sessionsEnded: ended },
        },
        manager,
      );
    });
  }

  /**
   * POST /api/auth/password/forgot: the same steps for every email (a charge, a
   * fresh token hashed, one statement), so neither the answer nor its cost says
   * whether the email names an account. Only an active local account gets the
   * email, queued and sent after the answer.
   */
  async forgot(email: string, client: ClientContext): Promise<void> {
    const normalized = normalizeEmail(email);
    await this.forgotThrottle.charge(normalized, client);
    const token = generateAccountToken();
    const recipient = await this.tokens.issueResetForEmail(normalized, hashAccountToken(token), this.clock.now(), this.settings.resetTtlMs);
    if (recipient) this.mail.sendPasswordReset(recipient.email, recipient.firstName, token);
  }

  /**
   * POST /api/auth/password/reset, for reset and invitation links alike. The token
   * is redeemed by one conditional UPDATE inside the transaction that writes the
   * password, so of any number of concurrent uses exactly one succeeds.
   */
  async reset(token: string, newPassword: string, client: ClientContext): Promise<void> {
    if (!isWellFormedAccountToken(token)) throw invalidResetToken();
    const tokenHash = hashAccountToken(token);
    const link = await this.tokens.findRedeemable(tokenHash, this.clock.now());
    if (!link) throw invalidResetToken();
    if (link.migrated) throw managedByIdentityProvider();
    assertStrongPassword('newPassword', newPassword, { email: link.email, userName: link.userName });
    const hash = await this.hasher.hash(newPassword);
    const now = this.clock.now();
    await this.dataSource.transaction(async (manager) => {
      const redeemed = await this.tokens.redeem(manager, tokenHash, now);
      if (!redeemed || redeemed.userId !== link.userId) throw invalidResetToken();
      if (!(await this.users.setPassword(manager, link.userId, hash, now))) throw invalidResetToken();
      await this.tokens.killAllForUser(manager, link.userId, now);
      const ended = await this.sessions.endAllOfUser(
        link.userId,
        SessionEndReason.CredentialsChanged,
        { actorUserId: link.userId, client, endedBy: 'self' },
        manager,
      );
      await this.audit.record(
        {
          type: redeemed.kind === AccountTokenKind.Invitation ? AuditEventType.InvitationAccepted : AuditEventType.PasswordReset,
          organizationId: link.organizationId,
          actorUserId: link.userId,
          targetUserId: link.userId,
          client,
          details: { sessionsEnded: ended },
        },
        manager,
      );
    });
  }
}
