import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import { formatProblem } from '../../src/fixtures/fixture-error';
import { parseFixtureJson } from '../../src/fixtures/read-fixture-file';
import { validateFixture } from '../../src/fixtures/validate-fixture';

const HASH = '$2b$10$abcdefghijklmnopqrstuuQwG6H5J2m3nR3B6v4ZK5b9pJx7Wm0sS';

/** The problems for a fixture, formatted as the command prints them. */
function problems(input: unknown): string[] {
  const result = validateFixture(input);
  assert.equal(result.ok, false, 'expected the fixture to be refused');
  return result.ok ? [] : result.problems.map(formatProblem);
}

const org = { slug: 'acme', name: 'Acme' };
const user = (fields: Record<string, unknown> = {}) => ({
  email: 'ops@acme.example',
  organization: 'acme',
  accessRole: 'MEMBER',
  password: 'pw',
  ...fields,
});

describe('validateFixture', () => {
  it('accepts the demo fixture and applies the documented defaults', () => {
    const result = validateFixture(JSON.parse(readFileSync('fixtures/demo.json', 'utf8')));
    assert.equal(result.ok, true, result.ok ? '' : result.problems.map(formatProblem).join('\n'));
    const minimal = validateFixture({ organizations: [org], users: [user({ email: '  OPS@Acme.Example ' })] });
    assert.ok(minimal.ok);
    assert.deepEqual(minimal.fixture.users[0], {
      path: 'users[0]',
      email: 'ops@acme.example',
      organization: 'acme',
      firstName: '',
      lastName: '',
      accessRole: 'MEMBER',
      userName: null,
      conversationOpenPreference: 'split',
      active: true,
      credential: { kind: 'password', password: 'pw' },
    });
    assert.deepEqual(minimal.fixture.organizations[0].sessionPolicy, {});
  });

  it('names the contract example path for an unknown organization', () => {
    assert.deepEqual(problems({ organizations: [org], users: [user(), user({ email: 'b@acme.example' }), user({ email: 'c@acme.example' }), user({ email: 'd@acme.example', organization: 'acmee' })] }), [
      'users[3].organization: unknown organization "acmee"',
    ]);
  });

  it('refuses unknown keys at every level, suggesting the near miss', () => {
    assert.deepEqual(problems({ organisations: [], organizations: [{ ...org, sessionPolicy: { idleTimeout: 5 } }] }), [
      'organisations: unknown field (did you mean "organizations"?)',
      'organizations[0].sessionPolicy.idleTimeout: unknown field',
    ]);
  });

  it('wants exactly one of password, passwordHash or workosUserId', () => {
    assert.deepEqual(
      problems({
        organizations: [org],
        users: [
          user({ password: undefined }),
          user({ email: 'b@acme.example', passwordHash: HASH }),
          user({ email: 'c@acme.example', password: undefined, passwordHash: '$2x$10$abc' }),
          user({ email: 'd@acme.example', password: 'x'.repeat(73) }),
        ],
      }),
      [
        'users[0]: needs exactly one of password, passwordHash or workosUserId',
        'users[1]: has password and passwordHash: give exactly one of password, passwordHash or workosUserId',
        'users[2].passwordHash: must be a bcrypt hash ($2a$, $2b$ or $2y$, a two-digit cost, then 53 characters)',
        'users[3].password: must be at most 72 bytes in UTF-8 and must not repeat itself after a NUL character (bcrypt would not see all of it)',
      ],
    );
  });

  it('refuses duplicate natural keys, comparing emails and user names as the contract does', () => {
    assert.deepEqual(
      problems({
        organizations: [org, { slug: 'acme', name: 'Again' }],
        users: [user({ userName: 'Ops' }), user({ email: ' OPS@acme.example', userName: 'ops' })],
        workspaces: [{ slug: 'eu', organization: 'acme', name: 'EU' }],
        memberships: [
          { workspace: 'eu', email: 'ops@acme.example' },
          { workspace: 'eu', email: 'Ops@acme.example' },
        ],
      }),
      [
        'organizations[1].slug: duplicate "acme" (also organizations[0])',
        'users[1].email: duplicate "ops@acme.example" (also users[0])',
        'users[1].userName: duplicate "ops" (user names are compared case-insensitively) (also users[0])',
        'memberships[1].email: duplicate membership of "ops@acme.example" in workspace "eu" (also memberships[0])',
      ],
    );
  });

  it('checks types, enums, user names, settings and roles', () => {
    assert.deepEqual(
      problems({
        organizations: [{ slug: 'Acme Corp', name: 42, sessionPolicy: { tokenExpiryHours: 0, ssoFallbackBehavior: 'retry' } }],
        users: [user({ organization: 'x', accessRole: 'admin', userName: 'a@b', active: 'yes' })],
        workspaces: [{ slug: 'eu', organization: 'x', name: 'EU', timeZone: 'Europe/Atlantis', modules: { Boards: 1 } }],
      }),
      [
        'organizations[0].slug: must be a slug: lower-case letters, digits and inner hyphens, at most 63 characters (got "Acme Corp")',
        'organizations[0].name: must be a string (got number 42)',
        'organizations[0].sessionPolicy.tokenExpiryHours: must be between 1 and 720 (got number 0)',
        'organizations[0].sessionPolicy.ssoFallbackBehavior: must be one of "redirect", "logout" (got the string "retry")',
        'users[0].accessRole: must be one of "ADMIN", "MEMBER" (got the string "admin")',
        'users[0].userName: must not contain "@" (got "a@b"): a user name is never mistaken for an email',
        'users[0].active: must be true or false (got the string "yes")',
        'users[0].organization: unknown organization "x"',
        'workspaces[0].timeZone: must be an IANA time zone such as "Europe/Berlin" (got "Europe/Atlantis")',
        'workspaces[0].modules.Boards: must be true or false (got number 1)',
        'workspaces[0].organization: unknown organization "x"',
      ],
    );
  });

  it('checks memberships against their workspace: roles, organization, one default per user', () => {
    assert.deepEqual(
      problems({
        organizations: [org, { slug: 'globex', name: 'Globex' }],
        users: [user(), user({ email: 'hank@globex.example', organization: 'globex' })],
        workspaces: [
          { slug: 'eu', organization: 'acme', name: 'EU', roles: [{ name: 'Agent', permissions: ['a'] }] },
          { slug: 'us', organization: 'acme', name: 'US' },
        ],
        memberships: [
          { workspace: 'eu', email: 'ops@acme.example', roles: ['Agent', 'agent'], default: true },
          { workspace: 'us', email: 'ops@acme.example', default: true },
          { workspace: 'eu', email: 'hank@globex.example' },
          { workspace: 'asia', email: 'nobody@acme.example' },
        ],
      }),
      [
        'memberships[0].roles[1]: unknown role "agent" in workspace "eu"',
        'memberships[1].default: "ops@acme.example" already has a default membership (memberships[0])',
        'memberships[2]: user "hank@globex.example" belongs to organization "globex" but workspace "eu" to "acme"',
        'memberships[3].workspace: unknown workspace "asia"',
        'memberships[3].email: unknown user "nobody@acme.example"',
      ],
    );
  });

  it('refuses a file that is not an object of sections', () => {
    assert.deepEqual(problems([]), ['a fixture must be a JSON object with organizations, users, workspaces and memberships']);
    assert.deepEqual(problems({ users: {} }), ['users: must be an array (got an object)']);
  });
});

describe('parseFixtureJson', () => {
  it('names the line and column of a syntax error', () => {
    assert.throws(() => parseFixtureJson('{\n  "users": [\n    {"email": "a@b.c"}\n    {"email": "d@e.f"}\n  ]\n}', 'f.json'), {
      message: 'f.json: invalid JSON at line 4, column 5 (position 42): expected "," or "]" after an array item, got "{"',
    });
    assert.throws(() => parseFixtureJson('', 'f.json'), { message: 'f.json: invalid JSON: the file is empty' });
  });

  it('accepts a byte-order mark', () => {
    assert.deepEqual(parseFixtureJson('\uFEFF{"users": []}', 'f.json'), { users: [] });
  });
});
