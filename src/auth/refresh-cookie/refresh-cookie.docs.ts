import { ApiCookieParameter } from '../../platform/http/openapi-cookie-parameters';
import { REFRESH_COOKIE_PATH, refreshCookieName } from './refresh-cookie';

const NAME = refreshCookieName(true);
const ATTRIBUTES = `Path=${REFRESH_COOKIE_PATH}; HttpOnly; Secure; SameSite=Strict`;
const NON_SECURE = `(With REFRESH_TOKEN_COOKIE_SECURE=false, development only: \`${refreshCookieName(false)}\`, without Secure.)`;

/** The 200 of every operation that hands out a session. */
export const SETS_REFRESH_COOKIE = {
  'Set-Cookie': {
    description:
      `Only with REFRESH_TOKEN_COOKIE=true: \`${NAME}=<the body's refreshToken>; Max-Age=<seconds to the session's absolute limit>; ${ATTRIBUTES}\`. ` +
      `The body keeps its refreshToken. ${NON_SECURE}`,
    schema: { type: 'string' },
  },
};

/** The 204 of logout. */
export const CLEARS_REFRESH_COOKIE = {
  'Set-Cookie': {
    description: `Only with REFRESH_TOKEN_COOKIE=true: \`${NAME}=; Max-Age=0; Expires=<the past>; ${ATTRIBUTES}\`, the cookie removed.`,
    schema: { type: 'string' },
  },
};

/** Refresh and logout read the cookie when the request names no token itself. */
export const ReadsRefreshCookie = (when: string) =>
  ApiCookieParameter({
    name: NAME,
    description:
      `Only with REFRESH_TOKEN_COOKIE=true: the refresh token, set by login, the second steps, the SSO callback and refresh; taken ${when}. ` +
      `Sent alone, the request must say \`Content-Type: application/json\` (with the body \`{}\`), else 415 UNSUPPORTED_MEDIA_TYPE: a cross-site form cannot. ${NON_SECURE}`,
  });
