/** One email, as the feature that causes it writes it: both parts, one recipient. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** What it is (`password_reset`, `invitation`), for log lines and metrics: never the content. */
  kind: string;
}

/** How email leaves the service. */
export interface MailOptions {
  /** `smtp://user:pass@host:port` or `smtps://…`; unset: every email goes to the log (development only). */
  smtpUrl?: string;
  /** The From header. */
  from: string;
  /** Waits before each retry; an email gets `retryDelaysMs.length + 1` attempts, then it is lost. */
  retryDelaysMs: number[];
  /** Connection, greeting and socket timeouts of one attempt. */
  timeoutMs: number;
}

export const DEFAULT_MAIL_OPTIONS: MailOptions = {
  from: 'authgate <no-reply@localhost>',
  // About ten minutes in all: a mail server restarting or briefly unreachable is waited out.
  retryDelaysMs: [1_000, 5_000, 15_000, 30_000, 60_000, 120_000, 300_000],
  timeoutMs: 10_000,
};
