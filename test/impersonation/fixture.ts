import { decode, sign } from 'jsonwebtoken';
import type { DataSource } from 'typeorm';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { Organization } from '../../src/identity/organizations/organization.entity';
import { AccessRole, User } from '../../src/identity/users/user.entity';
import { createOrganization, createUser } from '../support/factories';
import { get, post } from '../support/http';
import type { TestApp } from '../support/test-app';

export const UA = 'impersonation-tests/1.0 (support console)';

export interface Org {
  org: Organization;
  admin: User;
  otherAdmin: User;
  member: User;
  member2: User;
}

/** An organization with two admins and two members. */
export async function createOrg(db: DataSource, name = 'acme'): Promise<Org> {
  const org = await createOrganization(db, { name });
  const admin = await createUser(db, org, { email: `ops@${org.slug}.example`, firstName: 'Olga', lastName: 'Ops', accessRole: AccessRole.ADMIN });
  const otherAdmin = await createUser(db, org, { email: `boss@${org.slug}.example`, accessRole: AccessRole.ADMIN });
  const member = await createUser(db, org, { email: `mia@${org.slug}.example`, firstName: 'Mia', lastName: 'Member' });
  const member2 = await createUser(db, org, { email: `max@${org.slug}.example` });
  return { org, admin, otherAdmin, member, member2 };
}

export function impersonate(t: TestApp | string, bearer: string, userId: string, body?: unknown) {
  const url = typeof t === 'string' ? t : t.url;
  return post(`${url}/api/auth/impersonate/${userId}`, body, { token: bearer, headers: { 'user-agent': UA } });
}

/** Issues a ticket and returns its token; throws unless 200. */
export async function ticketFor(t: TestApp | string, bearer: string, userId: string, reason?: string): Promise<string> {
  const res = await impersonate(t, bearer, userId, reason === undefined ? {} : { reason });
  if (res.status !== 200) throw new Error(`impersonate failed: ${res.status} ${res.text}`);
  return res.body.impersonationToken;
}

export function redeem(t: TestApp | string, email: string, impersonationToken: string, headers: Record<string, string> = {}) {
  const url = typeof t === 'string' ? t : t.url;
  return post(`${url}/api/auth/login`, { email, impersonationToken }, { headers: { 'user-agent': UA, ...headers } });
}

export const me = (t: TestApp, token: string) => get(`${t.url}/api/auth/me`, { token });

export function claimsOf(token: string): Record<string, any> {
  return decode(token) as Record<string, any>;
}

export function headerOf(token: string): Record<string, any> {
  return (decode(token, { complete: true }) as { header: Record<string, any> }).header;
}

/** Signs arbitrary claims with the app's own key (what only a key holder could do). */
export function resign(t: TestApp, claims: Record<string, unknown>, options: { kid?: string | null; secret?: string } = {}): string {
  const kid = options.kid === undefined ? t.config.jwt.current.kid : options.kid;
  return sign(claims, options.secret ?? t.config.jwt.current.secret, {
    algorithm: 'HS256',
    ...(kid === null ? {} : { keyid: kid }),
  });
}

export function auditRows(t: TestApp, type?: string): Promise<AuditEvent[]> {
  return t.db.getRepository(AuditEvent).find({
    where: type ? { type } : {},
    order: { occurredAt: 'ASC' },
  });
}

/** Runs `action` and returns what it answered and the one rejection audit row it wrote. */
export async function withRejection<T>(t: TestApp, action: () => Promise<T>): Promise<{ result: T; row: AuditEvent }> {
  const seen = new Set((await auditRows(t, 'impersonation.rejected')).map((r) => r.id));
  const result = await action();
  const fresh = (await auditRows(t, 'impersonation.rejected')).filter((r) => !seen.has(r.id));
  if (fresh.length !== 1) throw new Error(`expected one new rejection row, got ${fresh.length}`);
  return { result, row: fresh[0] };
}

export async function setUser(t: TestApp, user: User, fields: Partial<User>): Promise<void> {
  await t.db.getRepository(User).update({ id: user.id }, fields);
}
