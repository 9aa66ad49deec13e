import { Injectable } from '@nestjs/common';
import { AppConfig, InjectConfig } from '../../platform/config/app-config';
import { Mailer } from '../../mail/mailer.service';
import { AccountSettings, accountSettingsOf } from '../account-settings';
import { appLink, invitationEmail, passwordResetEmail } from './account-emails';

/** The two emails of the accounts feature, with their links into the SPA. Queued: sent after the answer. */
@Injectable()
export class AccountMail {
  private readonly settings: AccountSettings;

  constructor(
    private readonly mailer: Mailer,
    @InjectConfig() config: AppConfig,
  ) {
    this.settings = accountSettingsOf(config);
  }

  sendPasswordReset(to: string, firstName: string, token: string): void {
    const link = appLink(this.settings.publicAppUrl, '/reset-password', token);
    this.mailer.send(passwordResetEmail({ to, firstName, link, validMinutes: Math.round(this.settings.resetTtlMs / 60_000) }));
  }

  sendInvitation(to: string, firstName: string, organizationName: string, token: string, expiresAt: Date): void {
    const link = appLink(this.settings.publicAppUrl, '/accept-invitation', token);
    this.mailer.send(invitationEmail({ to, firstName, organizationName, link, expiresAt }));
  }
}
