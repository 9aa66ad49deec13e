import assert from 'node:assert/strict';
import type { ParsedMail } from 'mailparser';
import type { DataSource } from 'typeorm';
import type { Organization } from '../../src/identity/organizations/organization.entity';
import { AccessRole, User } from '../../src/identity/users/user.entity';
import type { Clock } from '../../src/platform/clock';
import { createOrganization, createUser } from '../support/factories';
import { linkIn, recipientOf, startTestSmtpServer, TestSmtpServer } from '../support/smtp';
import { ConfigOverrides, ProviderOverride, startTestApp, TestApp } from '../support/test-app';

export const APP_URL = 'http://app.test/spa';
/** Passwords that meet the rules (and are not the factories' PASSWORD, which does too). */
export const NEW_PASSWORD = 'purple elephant rides the tram';
export const OTHER_PASSWORD = 'seven quiet lanterns at dusk';

export interface AccountsWorld {
  t: TestApp;
  smtp: TestSmtpServer;
  org: Organization;
  admin: User;
  member: User;
  close(): Promise<void>;
}

/** The app sending real email to a real SMTP server, retrying fast; one organization with an admin and a member. */
export async function startAccountsWorld(
  options: { clock?: Clock; config?: ConfigOverrides; captureLogs?: boolean; overrides?: ProviderOverride[] } = {},
): Promise<AccountsWorld> {
  const smtp = await startTestSmtpServer();
  const t = await startTestApp({
    clock: options.clock,
    captureLogs: options.captureLogs,
    overrides: options.overrides,
    config: {
      mail: { smtpUrl: smtp.url, from: 'Acme <no-reply@acme.example>', retryDelaysMs: [100, 200, 400, 800, 1600, 3200], timeoutMs: 2000 },
      accounts: { publicAppUrl: APP_URL },
      ...options.config,
    },
  });
  const org = await createOrganization(t.db, { name: 'Acme' });
  const admin = await createUser(t.db, org, { email: `admin@${org.slug}.example`, firstName: 'Ada', accessRole: AccessRole.ADMIN });
  const member = await createUser(t.db, org, { email: `member@${org.slug}.example`, firstName: 'Mia' });
  return {
    t,
    smtp,
    org,
    admin,
    member,
    async close() {
      await t.close();
      await smtp.stop();
    },
  };
}

/** The next email to `to` whose subject matches, received after `after` messages had arrived. */
export function mailTo(smtp: TestSmtpServer, to: string, subject: RegExp, after = 0): Promise<ParsedMail> {
  return smtp.waitForMessage((m) => smtp.messages.indexOf(m) >= after && recipientOf(m) === to && subject.test(m.subject ?? ''));
}

export const tokenOf = (mail: ParsedMail, path: '/reset-password' | '/accept-invitation'): string => {
  const token = linkIn(mail, `${APP_URL}${path}`).searchParams.get('token');
  assert.ok(token, 'the link carries a token');
  return token;
};

export const liveSessions = async (db: DataSource, userId: string): Promise<number> =>
  (await db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM sessions WHERE user_id = $1 AND ended_at IS NULL`, [userId]))[0].n;

export const auditTypes = async (db: DataSource, targetUserId: string): Promise<string[]> =>
  (await db.query<{ type: string }[]>(`SELECT type FROM audit_events WHERE target_user_id = $1 ORDER BY occurred_at, type`, [targetUserId])).map(
    (r) => r.type,
  );
