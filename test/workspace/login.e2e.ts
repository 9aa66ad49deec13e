import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PASSWORD } from '../support/factories';
import { post } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { claimsOf, createWorkspaceFixture, MALLORY_PASSWORD, WorkspaceFixture } from './fixture';

const LOGIN = '/api/workspace/auth/login';

describe('POST /api/workspace/auth/login', () => {
  let t: TestApp;
  let f: WorkspaceFixture;
  const login = (UserNameOrEmail: string, Password = PASSWORD, workspace?: string) =>
    post(`${t.url}${LOGIN}`, { UserNameOrEmail, Password }, workspace === undefined ? {} : { headers: { 'x-workspace': workspace } });

  before(async () => {
    t = await startTestApp();
    f = await createWorkspaceFixture(t.db);
  });
  after(() => t.close());

  describe('success', () => {
    it('answers 200 with the envelope and every Data field of the default workspace', async () => {
      const res = await login('ops@acme.example');
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(Object.keys(res.body), ['Data', 'Errors', 'Warnings', 'Success']);
      assert.equal(res.body.Success, true);
      assert.deepEqual(res.body.Errors, []);
      assert.deepEqual(res.body.Warnings, []);
      const { AccessToken, ...rest } = res.body.Data;
      assert.equal(typeof AccessToken, 'string');
      assert.deepEqual(rest, {
        UserId: f.ops.id,
        UserName: 'Ops.Admin',
        Email: 'ops@acme.example',
        FirstName: 'Olga',
        LastName: 'Ops',
        UserType: 1,
        WorkspaceName: 'acme-eu',
        Locale: 'de-DE',
        TimeZone: 'Europe/Berlin',
        DateTimeFormat: 'dd.MM.yyyy HH:mm',
        DateFormat: 'dd.MM.yyyy',
        TimeFormat: 'HH:mm',
        RegionCode: 'eu',
        OnboardingStatus: 2,
        Roles: ['Supervisor', 'Agent'],
        Permissions: ['boards.read', 'boards.write', 'inbox.reply', 'reports.read'],
        Modules: {
          Boards: { Enabled: true },
          Booking: { Enabled: false },
          CurrencyRates: { Enabled: true },
          EntitlementOperations: { Enabled: false },
          WorkInbox: { Enabled: true },
        },
      });
      assert.deepEqual(Object.keys(res.body.Data), [
        'AccessToken', 'UserId', 'UserName', 'Email', 'FirstName', 'LastName', 'UserType', 'WorkspaceName', 'Locale',
        'TimeZone', 'DateTimeFormat', 'DateFormat', 'TimeFormat', 'RegionCode', 'OnboardingStatus', 'Roles', 'Permissions', 'Modules',
      ]);
    });

    it('selects the X-Workspace workspace over the default: its locale, formats, modules, membership and roles', async () => {
      const res = await login('ops@acme.example', PASSWORD, 'acme-us');
      assert.equal(res.status, 200, res.text);
      const d = res.body.Data;
      assert.equal(d.WorkspaceName, 'acme-us');
      assert.deepEqual(
        [d.Locale, d.TimeZone, d.DateTimeFormat, d.DateFormat, d.TimeFormat, d.RegionCode],
        ['en-US', 'America/New_York', 'MM/dd/yyyy h:mm a', 'MM/dd/yyyy', 'h:mm a', 'us'],
      );
      assert.equal(d.UserType, 2);
      assert.equal(d.OnboardingStatus, 1);
      assert.deepEqual(d.Roles, ['Planner', 'Viewer']);
      // Both roles grant boards.read: it appears once, and the keys are sorted.
      assert.deepEqual(d.Permissions, ['boards.read', 'booking.read', 'booking.write']);
      assert.deepEqual(d.Modules, {
        Boards: { Enabled: false },
        Booking: { Enabled: true },
        CurrencyRates: { Enabled: false },
        EntitlementOperations: { Enabled: true },
        WorkInbox: { Enabled: false },
      });
      assert.equal(claimsOf(d.AccessToken).wsp, 'acme-us');
    });

    it('finds the user by user name, case-insensitively and trimmed', async () => {
      for (const name of ['Ops.Admin', 'ops.admin', 'OPS.ADMIN', '  ops.Admin ']) {
        const res = await login(name);
        assert.equal(res.status, 200, `${name}: ${res.text}`);
        assert.equal(res.body.Data.UserId, f.ops.id);
      }
    });

    it('finds the user by email case-insensitively', async () => {
      const res = await login('OPS@Acme.Example');
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.Data.UserId, f.ops.id);
    });

    it('uses the only membership of a user who has no default', async () => {
      const res = await login('solo@acme.example');
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.Data.WorkspaceName, 'acme-us');
    });
  });

  describe('the workspace token and session', () => {
    it('issues a JWT with wsp = slug, the workspace audience and exp − iat = the org\'s tokenExpiryHours', async () => {
      const res = await login('ops@acme.example');
      const claims = claimsOf(res.body.Data.AccessToken);
      assert.equal(claims.wsp, 'acme-eu');
      assert.equal(claims.aud, 'authgate-api:workspace');
      assert.equal(claims.iss, 'authgate');
      assert.equal(claims.sub, f.ops.id);
      assert.equal(claims.org, f.acme.id);
      assert.equal((claims.exp as number) - (claims.iat as number), 3 * 3600);
    });

    it('opens a workspace-scoped session without a refresh token, living as long as its token', async () => {
      const res = await login('ops@acme.example', PASSWORD, 'acme-us');
      const sid = claimsOf(res.body.Data.AccessToken).sid as string;
      const [session] = await t.db.query(
        `SELECT workspace_id, method, ended_at, extract(epoch FROM expires_at - created_at)::int AS lifetime FROM sessions WHERE id = $1`,
        [sid],
      );
      assert.deepEqual(session, { workspace_id: f.us.id, method: 'password', ended_at: null, lifetime: 3 * 3600 });
      const [{ count }] = await t.db.query(`SELECT count(*)::int AS count FROM refresh_tokens WHERE session_id = $1`, [sid]);
      assert.equal(count, 0);
    });
  });

  describe('warnings', () => {
    it('warns OnboardingIncomplete (Severity 1) when onboarding is in progress, still answering Success', async () => {
      const res = await login('ops@acme.example', PASSWORD, 'acme-us');
      assert.equal(res.body.Success, true);
      assert.deepEqual(res.body.Warnings, [
        {
          Code: 'OnboardingIncomplete',
          Message: 'Onboarding in this workspace is not completed.',
          Target: 'Workspace',
          Field: 'OnboardingStatus',
          Metadata: { OnboardingStatus: '1' },
          Type: 1,
          Severity: 1,
        },
      ]);
    });

    it('falls back to documented defaults for missing settings, with one warning each, and warns of undefined roles', async () => {
      const res = await login('ops.admin', PASSWORD, 'acme-bare');
      assert.equal(res.status, 200, res.text);
      const d = res.body.Data;
      assert.deepEqual(
        [d.Locale, d.TimeZone, d.DateTimeFormat, d.DateFormat, d.TimeFormat, d.RegionCode],
        ['en-US', 'UTC', 'yyyy-MM-dd HH:mm', 'yyyy-MM-dd', 'HH:mm', null],
      );
      assert.equal(d.OnboardingStatus, 0);
      assert.deepEqual(d.Roles, ['Agent', 'Ghost']);
      assert.deepEqual(d.Permissions, ['inbox.reply']);
      assert.deepEqual(
        res.body.Warnings.map((w: any) => [w.Code, w.Field, w.Metadata, w.Type, w.Severity]),
        [
          ['OnboardingIncomplete', 'OnboardingStatus', { OnboardingStatus: '0' }, 1, 1],
          ['RoleNotDefined', 'Roles', { Role: 'Ghost' }, 1, 1],
          ['LocaleDefaulted', 'Locale', { Default: 'en-US' }, 1, 1],
          ['TimeZoneDefaulted', 'TimeZone', { Default: 'UTC' }, 1, 1],
          ['FormatDefaulted', 'DateTimeFormat', { Default: 'yyyy-MM-dd HH:mm' }, 1, 1],
          ['FormatDefaulted', 'DateFormat', { Default: 'yyyy-MM-dd' }, 1, 1],
          ['FormatDefaulted', 'TimeFormat', { Default: 'HH:mm' }, 1, 1],
        ],
      );
    });
  });

  describe('InvalidCredentials', () => {
    it('answers unknown user, wrong password and inactive user with the identical 400 envelope', async () => {
      const answers = await Promise.all([
        login('nobody@acme.example'),
        login('nobody-by-name'),
        login('ops@acme.example', 'wrong password'),
        login('ops.admin', 'wrong password'),
        login('inactive@acme.example'),
        login('sleeper'),
      ]);
      const expected = {
        Data: null,
        Errors: [
          {
            Code: 'InvalidCredentials',
            Message: 'Invalid user name, email or password.',
            Target: null,
            Field: null,
            Metadata: null,
            Type: 1,
            Severity: 2,
          },
        ],
        Warnings: [],
        Success: false,
      };
      for (const res of answers) {
        assert.equal(res.status, 400, res.text);
        assert.deepEqual(res.body, expected);
      }
    });

    it('never lets a user name that looks like another user\'s email log in as that user', async () => {
      // Mallory's user name is "alice@acme.example": the identifier has an '@', so only emails are searched.
      for (const identifier of ['alice@acme.example', 'ALICE@acme.example', ' alice@acme.example ']) {
        const res = await login(identifier, MALLORY_PASSWORD);
        assert.equal(res.status, 400, res.text);
        assert.equal(res.body.Errors[0].Code, 'InvalidCredentials');
      }
      const alice = await login('alice@acme.example', PASSWORD);
      assert.equal(alice.status, 200, alice.text);
      assert.equal(alice.body.Data.UserId, f.alice.id);
      // Mallory still signs in with her own email.
      const mallory = await login('mallory@acme.example', MALLORY_PASSWORD);
      assert.equal(mallory.body.Data.UserId, f.mallory.id);
    });
  });

  describe('WorkspaceAccessDenied', () => {
    const sessionCount = async (userId: string): Promise<number> =>
      (await t.db.query(`SELECT count(*)::int AS n FROM sessions WHERE user_id = $1`, [userId]))[0].n;

    it('is decided only after a correct password: a wrong one still answers InvalidCredentials', async () => {
      for (const slug of ['globex-hq', 'no-such-workspace']) {
        const wrong = await login('ops@acme.example', 'wrong password', slug);
        assert.equal(wrong.body.Errors[0].Code, 'InvalidCredentials', slug);
        const unknown = await login('ghost@acme.example', PASSWORD, slug);
        assert.equal(unknown.body.Errors[0].Code, 'InvalidCredentials', slug);
      }
    });

    it('answers a workspace the user is not a member of and an unknown slug identically, opening no session', async () => {
      const before = await sessionCount(f.solo.id);
      const notMember = await login('solo@acme.example', PASSWORD, 'acme-eu');
      const unknown = await login('solo@acme.example', PASSWORD, 'no-such-workspace');
      for (const res of [notMember, unknown]) {
        assert.equal(res.status, 400, res.text);
        assert.deepEqual(res.body, {
          Data: null,
          Errors: [
            {
              Code: 'WorkspaceAccessDenied',
              Message: 'You do not have access to this workspace.',
              Target: 'Workspace',
              Field: null,
              Metadata: { Reason: 'NotAMember' },
              Type: 1,
              Severity: 2,
            },
          ],
          Warnings: [],
          Success: false,
        });
      }
      assert.equal(await sessionCount(f.solo.id), before);
    });

    it('refuses a membership pointing at another organization\'s workspace', async () => {
      const res = await login('ops@acme.example', PASSWORD, 'globex-hq');
      assert.equal(res.status, 400, res.text);
      assert.equal(res.body.Errors[0].Code, 'WorkspaceAccessDenied');
    });

    it('refuses a user with several memberships and no default, listing their workspaces', async () => {
      const res = await login('undecided@acme.example');
      assert.equal(res.status, 400, res.text);
      assert.equal(res.body.Errors[0].Code, 'WorkspaceAccessDenied');
      assert.deepEqual(res.body.Errors[0].Metadata, { Reason: 'NoDefaultWorkspace', Workspaces: 'acme-eu,acme-us' });
      const chosen = await login('undecided@acme.example', PASSWORD, 'acme-eu');
      assert.equal(chosen.status, 200, chosen.text);
    });

    it('refuses a user with no membership at all', async () => {
      const res = await login('loner@acme.example');
      assert.equal(res.status, 400, res.text);
      assert.deepEqual(res.body.Errors[0].Metadata, { Reason: 'NoMembership' });
    });
  });
});
