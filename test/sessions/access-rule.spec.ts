import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AccessRole } from '../../src/identity/users/user.entity';
import { ApiErrorCode } from '../../src/platform/errors/api-error-code';
import { ApiException } from '../../src/platform/errors/api.exception';
import { assertAccess, codesOf, toAccessRule } from '../../src/sessions/access/access-rule';
import { SessionMethod } from '../../src/sessions/session.entity';
import type { SessionSnapshot } from '../../src/sessions/session-snapshot';

const ORG = '11111111-1111-4111-8111-111111111111';
const OTHER_ORG = '22222222-2222-4222-8222-222222222222';

function session(role: AccessRole, impersonated = false): SessionSnapshot {
  return {
    sessionId: '33333333-3333-4333-8333-333333333333',
    userId: '44444444-4444-4444-8444-444444444444',
    organizationId: ORG,
    method: impersonated ? SessionMethod.Impersonation : SessionMethod.Password,
    impersonator: impersonated ? { id: '55555555-5555-4555-8555-555555555555', email: 'ops@acme.example' } : null,
    impersonatorInGoodStanding: true,
    workspaceId: null,
    createdAtMs: 0,
    lastActivityMs: 0,
    expiresAtMs: 1,
    endedReason: null,
    mfaAtMs: null,
    user: {
      id: '44444444-4444-4444-8444-444444444444',
      email: 'a@acme.example',
      firstName: 'A',
      lastName: 'B',
      organizationId: ORG,
      accessRole: role,
      conversationOpenPreference: 'split',
      active: true,
    },
    policy: {} as SessionSnapshot['policy'],
  };
}

const codeOf = (fn: () => void): ApiErrorCode | null => {
  try {
    fn();
    return null;
  } catch (err) {
    assert.ok(err instanceof ApiException, String(err));
    return err.code;
  }
};

describe('the access rule of @Authenticated()', () => {
  const admin = toAccessRule({ role: AccessRole.ADMIN, organization: 'orgId' });

  it('lets an ADMIN of the organization in the path pass', () => {
    assert.equal(codeOf(() => assertAccess(admin, session(AccessRole.ADMIN), { orgId: ORG })), null);
  });

  it('refuses a MEMBER with FORBIDDEN, and another organization with NOT_FOUND', () => {
    assert.equal(codeOf(() => assertAccess(admin, session(AccessRole.MEMBER), { orgId: ORG })), ApiErrorCode.FORBIDDEN);
    assert.equal(codeOf(() => assertAccess(admin, session(AccessRole.ADMIN), { orgId: OTHER_ORG })), ApiErrorCode.NOT_FOUND);
  });

  it('never lets an impersonated session pass an ADMIN rule: IMPERSONATION_RESTRICTED unless the route kept an older code', () => {
    assert.equal(codeOf(() => assertAccess(admin, session(AccessRole.ADMIN, true), { orgId: ORG })), ApiErrorCode.IMPERSONATION_RESTRICTED);
    const legacy = toAccessRule({ role: AccessRole.ADMIN, impersonationCode: ApiErrorCode.FORBIDDEN });
    assert.equal(codeOf(() => assertAccess(legacy, session(AccessRole.ADMIN, true), {})), ApiErrorCode.FORBIDDEN);
  });

  it('judges impersonation before the role, so a nested impersonation learns why', () => {
    const issue = toAccessRule({ role: AccessRole.ADMIN, impersonationCode: ApiErrorCode.IMPERSONATION_NESTED });
    assert.equal(codeOf(() => assertAccess(issue, session(AccessRole.MEMBER, true), {})), ApiErrorCode.IMPERSONATION_NESTED);
  });

  it('lets an impersonated session pass a route that allows it, and can refuse one on a route without a role', () => {
    assert.equal(codeOf(() => assertAccess(toAccessRule({}), session(AccessRole.MEMBER, true), {})), null);
    const own = toAccessRule({ impersonation: 'refuse' });
    assert.equal(codeOf(() => assertAccess(own, session(AccessRole.MEMBER, true), {})), ApiErrorCode.IMPERSONATION_RESTRICTED);
  });

  it('lists the codes each rule can answer, for the route\'s documentation', () => {
    assert.deepEqual(codesOf(admin).filter((c) => !c.startsWith('TOKEN_') && !c.startsWith('SESSION_')), [
      ApiErrorCode.IMPERSONATION_RESTRICTED,
      ApiErrorCode.FORBIDDEN,
      ApiErrorCode.NOT_FOUND,
    ]);
  });
});
