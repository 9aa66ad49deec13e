import type { OutgoingMail } from '../../mail/outgoing-mail';

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** The link into the SPA: PUBLIC_APP_URL + path + ?token=… (the only secret in the email). */
export function appLink(publicAppUrl: string, path: '/reset-password' | '/accept-invitation', token: string): string {
  const url = new URL(publicAppUrl.replace(/\/+$/, '') + path);
  url.searchParams.set('token', token);
  return url.toString();
}

const greeting = (firstName: string): string => (firstName.trim() ? `Hello ${firstName.trim()},` : 'Hello,');

const html = (firstName: string, lines: string[], link: string, action: string, after: string): string =>
  `<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">` +
  `<p>${escapeHtml(greeting(firstName))}</p>` +
  lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('') +
  `<p><a href="${escapeHtml(link)}" style="display:inline-block;padding:8px 16px;background:#1f4fd1;color:#fff;text-decoration:none;border-radius:4px">${escapeHtml(action)}</a></p>` +
  `<p style="color:#555">${escapeHtml(after)}</p></body></html>`;

export interface ResetEmailInput {
  to: string;
  firstName: string;
  link: string;
  validMinutes: number;
}

export function passwordResetEmail(input: ResetEmailInput): OutgoingMail {
  const lines = ['Someone (hopefully you) asked to reset the password of your account.'];
  const after = `The link works once, for ${input.validMinutes} minutes. If you did not ask for it, ignore this email: your password stays as it is.`;
  return {
    kind: 'password_reset',
    to: input.to,
    subject: 'Reset your password',
    text: [greeting(input.firstName), '', ...lines, '', 'Choose a new password here:', input.link, '', after, ''].join('\n'),
    html: html(input.firstName, lines, input.link, 'Choose a new password', after),
  };
}

export interface InvitationEmailInput {
  to: string;
  firstName: string;
  organizationName: string;
  link: string;
  expiresAt: Date;
}

export function invitationEmail(input: InvitationEmailInput): OutgoingMail {
  const lines = [`You have been invited to ${input.organizationName}.`];
  const after = `The link works once, until ${input.expiresAt.toUTCString()}.`;
  return {
    kind: 'invitation',
    to: input.to,
    subject: `You are invited to ${input.organizationName}`,
    text: [greeting(input.firstName), '', ...lines, '', 'Choose your password to accept the invitation:', input.link, '', after, ''].join('\n'),
    html: html(input.firstName, lines, input.link, 'Accept the invitation', after),
  };
}
