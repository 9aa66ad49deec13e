import { Logger } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import type { MailOptions, OutgoingMail } from './outgoing-mail';

/** Hands one email to whatever carries it; rejects when it was not accepted. */
export interface MailTransport {
  readonly name: 'smtp' | 'log';
  deliver(mail: OutgoingMail, from: string): Promise<void>;
  close(): void;
}

/** SMTP_URL as nodemailer options: `smtps://` is TLS from the first byte (port 465 by default), `smtp://` upgrades with STARTTLS when offered. */
export function smtpOptionsOf(url: string): SMTPTransport.Options {
  const parsed = new URL(url);
  const secure = parsed.protocol === 'smtps:';
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : secure ? 465 : 587,
    secure,
    auth: parsed.username ? { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) } : undefined,
  };
}

/** SMTP through nodemailer: one connection per email, so a server that went away and came back is simply reached again. */
class SmtpTransport implements MailTransport {
  readonly name = 'smtp' as const;
  private readonly transporter: Transporter;

  constructor(url: string, timeoutMs: number) {
    this.transporter = createTransport({ ...smtpOptionsOf(url), connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs });
  }

  async deliver(mail: OutgoingMail, from: string): Promise<void> {
    await this.transporter.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html });
  }

  close(): void {
    this.transporter.close();
  }
}

/**
 * Development without a mail server: the email's plain-text part goes to the log,
 * so `npm start` can walk an invitation or a reset by hand. Refused in production
 * (environment.ts): there the link is a secret and belongs in the mailbox only.
 */
class LogTransport implements MailTransport {
  readonly name = 'log' as const;
  private readonly logger = new Logger('Mail');

  deliver(mail: OutgoingMail, from: string): Promise<void> {
    this.logger.log(
      { mail: { kind: mail.kind, from, to: mail.to, subject: mail.subject } },
      `email not sent (SMTP_URL is unset), here it is:\n${mail.text}`,
    );
    return Promise.resolve();
  }

  close(): void {}
}

export const createMailTransport = (options: MailOptions): MailTransport =>
  options.smtpUrl ? new SmtpTransport(options.smtpUrl, options.timeoutMs) : new LogTransport();
