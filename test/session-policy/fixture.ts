import assert from 'node:assert/strict';
import type { Organization } from '../../src/identity/organizations/organization.entity';
import { SessionPolicy } from '../../src/identity/organizations/session-policy';
import { AccessRole } from '../../src/identity/users/user.entity';
import { createOrganization, createUser } from '../support/factories';
import { get, post, put } from '../support/http';
import type { TestApp } from '../support/test-app';

type Url = Pick<TestApp, 'url'>;

/** All nine fields: enforced, 10 minutes idle, password and SSO sessions both renew silently. */
export const ENFORCED: SessionPolicy = {
  enabled: true,
  idleTimeoutMinutes: 10,
  tokenExpiryHours: 1,
  warningTimeMinutes: 2,
  idleTrackingEnabled: true,
  ssoSilentRenewalEnabled: true,
  ssoFallbackBehavior: 'redirect',
  passwordSilentRenewalEnabled: true,
  passwordFallbackBehavior: 'logout',
};

export const MINUTE = 60_000;

export const policyUrl = (t: Url, orgId: string) => `${t.url}/api/organizations/${orgId}/session-policy`;
export const getPolicy = (t: Url, orgId: string, token?: string) => get(policyUrl(t, orgId), { token });
export const putPolicy = (t: Url, orgId: string, body: unknown, token?: string) => put(policyUrl(t, orgId), body, { token });
export const me = (t: Url, token: string) => get(`${t.url}/api/auth/me`, { token });
export const refresh = (t: Url, refreshToken: string) => post(`${t.url}/api/auth/refresh`, { refreshToken });

let counter = 0;

/** An organization with an admin and a member, both able to sign in with PASSWORD. */
export async function orgWithPeople(t: TestApp, sessionPolicy: Partial<SessionPolicy> = {}) {
  const n = ++counter;
  const org: Organization = await createOrganization(t.db, { sessionPolicy });
  const admin = await createUser(t.db, org, { email: `admin${n}-${org.slug}@acme.example`, accessRole: AccessRole.ADMIN });
  const member = await createUser(t.db, org, { email: `member${n}-${org.slug}@acme.example` });
  return { org, admin, member };
}

/** PUT that must succeed. */
export async function setPolicy(t: Url, orgId: string, adminToken: string, policy: SessionPolicy): Promise<void> {
  const res = await putPolicy(t, orgId, policy, adminToken);
  assert.equal(res.status, 200, res.text);
}
