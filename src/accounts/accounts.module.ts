import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { PrunerService } from '../platform/retention/pruner.service';
import { MailModule } from '../mail/mail.module';
import { SessionsModule } from '../sessions/sessions.module';
import { ThrottleModule } from '../throttle/throttle.module';
import { OrgAuditController } from './audit/org-audit.controller';
import { OrgAuditService } from './audit/org-audit.service';
import { AccountMail } from './emails/account-mail.service';
import { OrganizationUsersController } from './organization-users.controller';
import { OrganizationUsersService } from './organization-users.service';
import { ForgotPasswordThrottle } from './passwords/forgot-throttle';
import { PasswordController } from './passwords/password.controller';
import { PasswordService } from './passwords/password.service';
import { OwnSessionsController } from './sessions/own-sessions.controller';
import { OwnSessionsService } from './sessions/own-sessions.service';
import { AccountTokensRepository } from './tokens/account-tokens.repository';
import { AccountUsersRepository } from './users/account-users.repository';
import { AdminUsersController } from './users/admin-users.controller';
import { AdminUsersService } from './users/admin-users.service';
import { AdminViews } from './users/admin-views';
import { MfaModule } from '../mfa/mfa.module';

/**
 * Accounts without SQL: the admin API on an organization's users (with
 * invitations), passwords (change, forgot, reset), the user's own sessions and
 * the organization's audit trail.
 */
@Module({
  imports: [AuthModule, SessionsModule, MfaModule, ThrottleModule, AuditModule, MailModule],
  controllers: [OrganizationUsersController, AdminUsersController, PasswordController, OwnSessionsController, OrgAuditController],
  providers: [
    AccountUsersRepository,
    AdminViews,
    AccountTokensRepository,
    AccountMail,
    ForgotPasswordThrottle,
    OrganizationUsersService,
    AdminUsersService,
    PasswordService,
    OwnSessionsService,
    OrgAuditService,
  ],
})
export class AccountsModule {
  constructor(pruner: PrunerService) {
    // Reset and invitation links, once used or expired, go after TOKEN_RETENTION_DAYS
    // (migrations/*-AccountTokensRetention.ts indexes the expression).
    pruner.register({ table: 'account_tokens', key: 'id', where: 'coalesce(used_at, expires_at) < $1', retention: 'tokens' });
  }
}
