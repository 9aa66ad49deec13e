import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PASSWORD } from '../support/factories';
import { post } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { createWorkspaceFixture } from './fixture';

const LOGIN = '/api/workspace/auth/login';

describe('POST /api/workspace/auth/login when something else fails', () => {
  let t: TestApp;

  before(async () => {
    t = await startTestApp({ captureLogs: true });
    await createWorkspaceFixture(t.db);
  });
  after(() => t.close());

  it('answers a migrated user with 503 IdentityProviderUnavailable (Type 2) when WorkOS is not configured', async () => {
    const res = await post(`${t.url}${LOGIN}`, { UserNameOrEmail: 'migrated@acme.example', Password: PASSWORD });
    assert.equal(res.status, 503, res.text);
    const { Message, ...error } = res.body.Errors[0];
    assert.equal(typeof Message, 'string');
    assert.deepEqual({ ...res.body, Errors: [error] }, {
      Data: null,
      Errors: [{ Code: 'IdentityProviderUnavailable', Target: null, Field: null, Metadata: null, Type: 2, Severity: 2 }],
      Warnings: [],
      Success: false,
    });
    // Never a fallback to a local hash, never a session.
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1`, [
      'migrated@acme.example',
    ]);
    assert.equal(n, 0);
  });

  it('answers an unexpected error with a 500 envelope of Type 2 and no internals, logging the details instead', async () => {
    // A real fault, not a mock: the memberships table disappears under the running service.
    await t.db.query(`ALTER TABLE workspace_memberships RENAME TO workspace_memberships_gone`);
    try {
      const res = await post(`${t.url}${LOGIN}`, { UserNameOrEmail: 'ops@acme.example', Password: PASSWORD });
      assert.equal(res.status, 500, res.text);
      assert.deepEqual(res.body, {
        Data: null,
        Errors: [
          {
            Code: 'InternalError',
            Message: 'An unexpected error occurred.',
            Target: null,
            Field: null,
            Metadata: null,
            Type: 2,
            Severity: 2,
          },
        ],
        Warnings: [],
        Success: false,
      });
      assert.doesNotMatch(res.text, /workspace_memberships|relation|stack|\.ts:\d+/);
      assert.ok(t.logs.some((line) => line.includes('workspace_memberships')), 'the cause is in the logs');
    } finally {
      await t.db.query(`ALTER TABLE workspace_memberships_gone RENAME TO workspace_memberships`);
    }
  });
});
