import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { createMailTransport, MailTransport } from './mail-transport';
import type { MailOptions, OutgoingMail } from './outgoing-mail';

export const MAIL_OPTIONS = Symbol('MAIL_OPTIONS');

/** What happened to one email, for whoever counts (metrics, tests). */
export type MailOutcome = 'sent' | 'retried' | 'lost';
export type MailOutcomeListener = (outcome: MailOutcome, mail: OutgoingMail) => void;

/**
 * Sends email without ever making a request wait for it or fail because of it:
 * `send` only queues, the delivery starts once the caller's work is done (the
 * next turn of the event loop, after the answer is on its way), a refused or
 * unreachable server is retried with growing waits, and an email that ran out
 * of attempts is one error log line (and a `lost` outcome) — never an error to
 * the request that caused it. Nothing in a log line holds a link or a token.
 */
@Injectable()
export class Mailer implements OnApplicationShutdown {
  private readonly logger = new Logger('Mail');
  private readonly transport: MailTransport;
  private readonly pending = new Set<NodeJS.Timeout>();
  private readonly listeners: MailOutcomeListener[] = [];
  private inFlight = 0;
  private closed = false;

  constructor(@Inject(MAIL_OPTIONS) private readonly options: MailOptions) {
    this.transport = createMailTransport(options);
  }

  get transportName(): MailTransport['name'] {
    return this.transport.name;
  }

  /** Queues the email; returns at once. */
  send(mail: OutgoingMail): void {
    this.schedule(mail, 0, 0);
  }

  onOutcome(listener: MailOutcomeListener): void {
    this.listeners.push(listener);
  }

  /** Emails still waiting for an attempt or in one (tests and shutdown). */
  get queued(): number {
    return this.pending.size + this.inFlight;
  }

  /** After the HTTP drain, so an email asked for by a request finished during the drain is reported, not dropped unseen. */
  onApplicationShutdown(): void {
    this.closed = true;
    if (this.pending.size > 0) {
      this.logger.error({ mail: { count: this.pending.size } }, 'emails not sent: the service stopped before their next attempt');
    }
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
    this.transport.close();
  }

  private schedule(mail: OutgoingMail, attempt: number, delayMs: number): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      void this.attempt(mail, attempt);
    }, delayMs);
    // A queued email must not keep a stopping process alive; the shutdown reports it.
    timer.unref();
    this.pending.add(timer);
  }

  private async attempt(mail: OutgoingMail, attempt: number): Promise<void> {
    this.inFlight++;
    try {
      await this.transport.deliver(mail, this.options.from);
      this.emit('sent', mail);
      if (attempt > 0) this.logger.log({ mail: { kind: mail.kind, attempts: attempt + 1 } }, 'email sent after retrying');
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      const delay = this.options.retryDelaysMs[attempt];
      if (delay === undefined) {
        this.emit('lost', mail);
        this.logger.error({ mail: { kind: mail.kind, attempts: attempt + 1, reason } }, 'email lost: the mail server did not take it');
      } else {
        this.emit('retried', mail);
        this.logger.warn({ mail: { kind: mail.kind, attempt: attempt + 1, retryInMs: delay, reason } }, 'email not sent yet; retrying');
        this.schedule(mail, attempt + 1, delay);
      }
    } finally {
      this.inFlight--;
    }
  }

  private emit(outcome: MailOutcome, mail: OutgoingMail): void {
    for (const listener of this.listeners) listener(outcome, mail);
  }
}
