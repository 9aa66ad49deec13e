import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../platform/config/app-config';
import { MetricsService } from '../platform/metrics/metrics.service';
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
    {
      provide: Mailer,
      inject: [MAIL_OPTIONS, MetricsService],
      useFactory: (options: MailOptions, metrics: MetricsService): Mailer => {
        const mailer = new Mailer(options);
        // authgate_emails_total{kind,outcome}: each email once, when it is sent or lost (retries are not outcomes).
        mailer.onOutcome((outcome, mail) => {
          if (outcome !== 'retried') metrics.email(mail.kind, outcome === 'sent' ? 'sent' : 'failed');
        });
        return mailer;
      },
    },
  ],
  exports: [Mailer],
})
export class MailModule {}
