import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../platform/config/app-config';
import { MAIL_OPTIONS, Mailer } from './mailer.service';
import { DEFAULT_MAIL_OPTIONS, MailOptions } from './outgoing-mail';

/** Outgoing email (SMTP, or the log in development). Features write the messages; this only carries them. */
@Module({
  providers: [
    {
      provide: MAIL_OPTIONS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): MailOptions => ({ ...DEFAULT_MAIL_OPTIONS, ...config.mail }),
    },
    Mailer,
  ],
  exports: [Mailer],
})
export class MailModule {}
