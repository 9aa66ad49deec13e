import type { DataSource } from 'typeorm';
import type { AppConfig } from '../../src/platform/config/app-config';
import type { ConfigOverrides } from '../support/test-app';
import { AccessRole } from '../../src/identity/users/user.entity';
import { createMembership, createOrganization, createUser, createWorkspace, hashOf } from '../support/factories';
import { signIn } from '../support/sign-in';
import { FuzzContext, emptyContext } from './arbitraries';

/** bcrypt at cost 4 here (real hashes, cheap verifications) so thousands of login attempts stay fast. */
const COST = 4;
const ADMIN_PASSWORD = 'Fuzz-Admin-Password-1';
const MEMBER_PASSWORD = 'Fuzz-Member-Password-1';
/** A user of its own for the fuzzed logins: its throttle budget can run out without locking the sessions we use. */
const TARGET_PASSWORD = 'Fuzz-Target-Password-1';

/**
 * The app configuration the fuzzer runs against: the proxy on 127.0.0.1 is
 * trusted, so each request's X-Forwarded-For is another client and the per-IP
 * budget does not turn every later login into a 429 before the handlers run.
 */
export const FUZZ_CONFIG: ConfigOverrides = {
  bcryptCost: COST,
  trustProxy: ['127.0.0.1'],
  corsOrigins: ['http://localhost:5173'],
  logLevel: 'silent',
};

/** The fixture's own client address, so its logins spend no budget of the fuzzed ones. */
const FIXTURE_CLIENT = { headers: { 'x-forwarded-for': '192.0.2.10' } };
const login = (baseUrl: string, email: string, password: string) => signIn(baseUrl, email, password, FIXTURE_CLIENT);

async function postJson(baseUrl: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const res = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': '192.0.2.10', ...headers },
    body: JSON.stringify(body),
  });
  if (res.status !== 200) throw new Error(`fixture ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

const sidOf = (token: string): string =>
  (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { sid: string }).sid;

export interface FuzzFixture {
  context: FuzzContext;
  /** Fresh sessions for the bearer tokens (the fuzzer may log them out); cheap at cost 4. */
  renew(): Promise<void>;
}

/** Real users, sessions and tokens in the app's database, so fuzzed requests also reach the guarded handlers. */
export async function seedFuzzFixture(baseUrl: string, db: DataSource, config: AppConfig): Promise<FuzzFixture> {
  const org = await createOrganization(db, { slug: 'fuzz-org' });
  const other = await createOrganization(db, { slug: 'fuzz-other' });
  const admin = await createUser(db, org, {
    email: 'fuzz-admin@example.test',
    accessRole: AccessRole.ADMIN,
    passwordHash: await hashOf(ADMIN_PASSWORD, COST),
  });
  const member = await createUser(db, org, {
    email: 'fuzz-member@example.test',
    userName: 'fuzz.member',
    passwordHash: await hashOf(MEMBER_PASSWORD, COST),
  });
  const target = await createUser(db, org, {
    email: 'fuzz-target@example.test',
    userName: 'fuzz.target',
    passwordHash: await hashOf(TARGET_PASSWORD, COST),
  });
  const stranger = await createUser(db, other, { email: 'fuzz-stranger@example.test', passwordHash: await hashOf(TARGET_PASSWORD, COST) });
  const workspace = await createWorkspace(db, org, { slug: 'fuzz-ws', roles: [{ name: 'Agent', permissions: ['tickets.read'] }] });
  await createMembership(db, workspace, member, { isDefault: true, roles: ['Agent'] });
  await createMembership(db, workspace, target, { isDefault: true });

  const context: FuzzContext = {
    ...emptyContext(),
    ids: [org.id, other.id, admin.id, member.id, target.id, stranger.id],
    emails: [target.email, stranger.email, 'nobody@example.test'],
    passwords: [TARGET_PASSWORD, 'wrong-password'],
    userNames: ['fuzz.target'],
    workspaceSlugs: [workspace.slug, 'no-such-workspace'],
    jwt: { secret: config.jwt.current.secret, kid: config.jwt.current.kid, issuer: config.jwt.issuer, audience: config.jwt.audience },
  };

  const renew = async () => {
    const a = await login(baseUrl, admin.email, ADMIN_PASSWORD);
    const m = await login(baseUrl, member.email, MEMBER_PASSWORD);
    const spare = await login(baseUrl, member.email, MEMBER_PASSWORD);
    const ws = await postJson(baseUrl, '/api/workspace/auth/login', { UserNameOrEmail: member.email, Password: MEMBER_PASSWORD });
    const ticket = await postJson(baseUrl, `/api/auth/impersonate/${member.id}`, { reason: 'fuzz' }, { authorization: `Bearer ${a.token}` });
    const ticket2 = await postJson(baseUrl, `/api/auth/impersonate/${target.id}`, {}, { authorization: `Bearer ${a.token}` });
    const impersonated = await postJson(baseUrl, '/api/auth/login', { email: member.email, impersonationToken: ticket.impersonationToken });
    const wsToken = (ws.Data as { AccessToken: string }).AccessToken;
    context.bearerTokens = [a.token, m.token, wsToken, impersonated.token as string];
    context.refreshTokens = [spare.refreshToken];
    context.impersonationTokens = [ticket2.impersonationToken as string];
    const sessionIds = [a.token, m.token, impersonated.token as string].map(sidOf);
    context.ids = [...context.ids.slice(0, 6), ...sessionIds];
  };
  await renew();
  return { context, renew };
}
