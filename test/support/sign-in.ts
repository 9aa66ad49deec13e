import assert from 'node:assert/strict';
import { PASSWORD } from './factories';
import { HttpResponse, post, RequestOptions } from './http';

/** A session opened by a password login, as the tests use it. */
export interface SignedIn {
  token: string;
  refreshToken: string;
  /** The session's id (the access token's `sid`). */
  sessionId: string;
  /** The login's answer body (token, refreshToken, user, session …). */
  body: any;
  /** The whole 200 answer, for a test about the login response itself (headers). */
  res: HttpResponse;
}

/**
 * The one sign-in of the tests: `POST /api/auth/login` with email and password (the
 * factories' PASSWORD unless given), which must answer 200; the test fails with the
 * answer otherwise. `app` is anything with a `url` (a TestApp, an AppProcess) or a base URL.
 */
export async function signIn(app: { url: string } | string, email: string, password = PASSWORD, options: RequestOptions = {}): Promise<SignedIn> {
  const url = typeof app === 'string' ? app : app.url;
  const res = await post(`${url}/api/auth/login`, { email, password }, options);
  assert.equal(res.status, 200, `sign-in of ${email}: ${res.status} ${res.text}`);
  const { token, refreshToken } = res.body as { token: string; refreshToken: string };
  const sessionId = (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { sid: string }).sid;
  return { token, refreshToken, sessionId, body: res.body, res };
}
