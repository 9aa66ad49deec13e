import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Mailer, MailOutcome } from '../../src/mail/mailer.service';
import { DEFAULT_MAIL_OPTIONS, OutgoingMail } from '../../src/mail/outgoing-mail';
import { recipientOf, startTestSmtpServer, TestSmtpServer } from '../support/smtp';

const mail = (to: string): OutgoingMail => ({
  to,
  subject: 'Reset your password',
  text: 'Open http://app.test/reset-password?token=abc to choose a new password.',
  html: '<p><a href="http://app.test/reset-password?token=abc">Choose a new password</a></p>',
  kind: 'password_reset',
});

const outcomesOf = (mailer: Mailer) => {
  const seen: MailOutcome[] = [];
  mailer.onOutcome((outcome) => seen.push(outcome));
  return seen;
};

const until = async (condition: () => boolean, timeoutMs = 20_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('Mailer over a real SMTP server', () => {
  let smtp: TestSmtpServer;
  before(async () => {
    smtp = await startTestSmtpServer();
  });
  after(() => smtp.stop());

  it('sends both parts from MAIL_FROM, and send() returns before anything is delivered', async () => {
    const mailer = new Mailer({ ...DEFAULT_MAIL_OPTIONS, smtpUrl: smtp.url, from: 'Acme <no-reply@acme.example>' });
    mailer.send(mail('one@example.test'));
    // Queued, not delivered: the caller's request is not held up by the mail server.
    assert.equal(smtp.messages.filter((m) => recipientOf(m) === 'one@example.test').length, 0);
    const received = await smtp.waitForMessage((m) => recipientOf(m) === 'one@example.test');
    assert.equal(received.subject, 'Reset your password');
    assert.match(received.text ?? '', /http:\/\/app\.test\/reset-password\?token=abc/);
    assert.match(String(received.html), /<a href="http:\/\/app\.test\/reset-password\?token=abc">/);
    assert.equal(received.from?.value[0]?.address, 'no-reply@acme.example');
    mailer.onApplicationShutdown();
  });

  it('a server that is down is retried, and the email goes out once it is back', async () => {
    const mailer = new Mailer({ ...DEFAULT_MAIL_OPTIONS, smtpUrl: smtp.url, retryDelaysMs: [100, 200, 400, 800, 1600, 3200] });
    const outcomes = outcomesOf(mailer);
    await smtp.stop();
    mailer.send(mail('two@example.test'));
    await until(() => outcomes.includes('retried'));
    await smtp.start();
    const received = await smtp.waitForMessage((m) => recipientOf(m) === 'two@example.test');
    assert.equal(received.subject, 'Reset your password');
    await until(() => outcomes.includes('sent'));
    assert.equal(outcomes.filter((o) => o === 'sent').length, 1);
    mailer.onApplicationShutdown();
  });

  it('an email that runs out of attempts is lost: an outcome to count, nothing thrown', async () => {
    const mailer = new Mailer({ ...DEFAULT_MAIL_OPTIONS, smtpUrl: 'smtp://127.0.0.1:1', retryDelaysMs: [10, 10] });
    const outcomes = outcomesOf(mailer);
    mailer.send(mail('three@example.test'));
    await until(() => outcomes.includes('lost'));
    assert.deepEqual(outcomes, ['retried', 'retried', 'lost']);
    assert.equal(mailer.queued, 0);
    mailer.onApplicationShutdown();
  });
});
