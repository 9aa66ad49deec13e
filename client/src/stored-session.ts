import type { LoginResponseDto, MeResponseDto, WorkspaceAuthResponseDto } from './generated/openapi';
import type { StoredSession } from './types';

/**
 * What `refreshToken` holds in the refresh cookie's mode: not the token (that stays in the
 * httpOnly cookie, out of reach of scripts), only the fact that the session can refresh.
 */
export const REFRESH_TOKEN_IN_COOKIE = 'in-httponly-cookie';

/**
 * The state as the cookie mode keeps it: the body's refresh token dropped unread (or absent,
 * where the server runs with REFRESH_TOKEN_IN_BODY=false). Except an
 * impersonated session's (one with an admin's session parked): the cookie stays the admin's,
 * so the impersonated session, an hour at most, keeps its own token in this tab's memory and
 * makes its requests without cookies.
 */
export const withRefreshTokenInCookie = (state: StoredSession): StoredSession =>
  state.refreshToken === null || state.refreshToken === REFRESH_TOKEN_IN_COOKIE || state.parked ? state : { ...state, refreshToken: REFRESH_TOKEN_IN_COOKIE };

export function fromLoginResponse(body: LoginResponseDto, generation: number): StoredSession {
  return {
    v: 1,
    kind: 'auth',
    token: body.token,
    refreshToken: body.refreshToken,
    sessionConfig: body.sessionConfig,
    session: body.session,
    user: body.user,
    impersonator: null,
    workspace: null,
    generation,
    parked: null,
  };
}

/** A refresh answers the login body again; what only `me` knows (the impersonator) carries over. */
export function withRefresh(previous: StoredSession, body: LoginResponseDto, generation: number): StoredSession {
  return { ...fromLoginResponse(body, generation), impersonator: previous.impersonator, parked: previous.parked };
}

export function withMe(previous: StoredSession, body: MeResponseDto, generation: number): StoredSession {
  return {
    ...previous,
    user: body.user,
    sessionConfig: body.sessionConfig,
    session: body.session,
    impersonator: body.impersonator ?? null,
    generation,
  };
}

export function fromWorkspaceLogin(data: WorkspaceAuthResponseDto, generation: number): StoredSession {
  const { AccessToken, ...workspace } = data;
  return {
    v: 1,
    kind: 'workspace',
    token: AccessToken,
    refreshToken: null,
    sessionConfig: null,
    session: null,
    user: null,
    impersonator: null,
    workspace,
    generation,
    parked: null,
  };
}

/** The `exp` of a JWT in server ms, read without verifying (the server verifies; the client only schedules). */
export function jwtExpiryMs(token: string): number | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '='));
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : null;
  } catch {
    return null;
  }
}

/** When the access token expires, by the server's clock (ms). */
export function accessTokenExpiry(state: StoredSession): number | null {
  const iso = state.session?.accessTokenExpiresAt;
  if (iso) {
    const ms = Date.parse(iso);
    if (!Number.isNaN(ms)) return ms;
  }
  return jwtExpiryMs(state.token);
}

/** The server's time of an answer, to the second, from a body that carries a fresh token deadline. */
export function serverSecondOf(body: LoginResponseDto | MeResponseDto): number | null {
  const expiry = Date.parse(body.session?.accessTokenExpiresAt ?? '');
  if (Number.isNaN(expiry) || !body.sessionConfig) return null;
  return expiry - body.sessionConfig.tokenExpiryHours * 3_600_000;
}
