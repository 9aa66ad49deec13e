import type {
  ApiErrorCode,
  ImpersonatorDto,
  SessionConfigDto,
  SessionInfoDto,
  SessionMethod,
  UserPayload,
  WorkspaceUserContextDto,
} from './generated/openapi';

export type SessionConfig = SessionConfigDto;
export type SessionInfo = SessionInfoDto;
export type User = UserPayload;
export type Impersonator = ImpersonatorDto;
export type { ApiErrorCode, SessionMethod };
export type FallbackBehavior = SessionConfig['passwordFallbackBehavior'];

/** The server's codes that end a session, as the SPA shows them. */
export type ServerLogoutReason = Extract<
  ApiErrorCode,
  | 'SESSION_IDLE_TIMEOUT'
  | 'SESSION_EXPIRED'
  | 'SESSION_REVOKED'
  | 'REFRESH_TOKEN_REUSED'
  | 'INVALID_REFRESH_TOKEN'
  | 'SILENT_RENEWAL_DISABLED'
  | 'TOKEN_EXPIRED'
  | 'TOKEN_INVALID'
>;

/**
 * Why a session ended. The server's codes, plus two decisions the client makes
 * itself: `user` (someone pressed "sign out") and `idle` (no input for
 * `idleTimeoutMinutes`, counted by the client before the server would).
 */
export type LogoutReason = ServerLogoutReason | 'user' | 'idle';

/** What the client keeps for a signed-in tab, shared by every tab of the origin. */
export interface StoredSession {
  v: 1;
  kind: 'auth' | 'workspace';
  token: string;
  /** Null for workspace sessions: the workspace API issues no refresh token. */
  refreshToken: string | null;
  sessionConfig: SessionConfig | null;
  session: SessionInfo | null;
  user: User | null;
  impersonator: Impersonator | null;
  workspace: WorkspaceUserContextDto | null;
  /** Bumped by every login, refresh or adoption; the newest state wins across tabs. */
  generation: number;
  /** The admin's own session, kept while they impersonate someone. */
  parked: StoredSession | null;
}

/** The deadlines of the current session in this tab's clock (epoch ms), skew corrected. */
export interface Deadlines {
  /** When the client signs the user out for inactivity; null when idle tracking is off. */
  idle: number | null;
  /** When the idle warning shows; null when there is none. */
  warning: number | null;
  /** The absolute end of the session. */
  session: number | null;
  accessToken: number | null;
}

export interface AuthSnapshot {
  status: 'signed-in' | 'signed-out';
  kind: 'auth' | 'workspace' | null;
  user: User | null;
  impersonator: Impersonator | null;
  sessionConfig: SessionConfig | null;
  method: SessionMethod | null;
  sessionId: string | null;
  workspace: WorkspaceUserContextDto | null;
  deadlines: Deadlines;
  /** Whether the idle warning is showing. */
  warning: boolean;
  /** Server time minus this tab's time, in ms, as measured from the Date header. */
  clockSkewMs: number;
  /** True while an admin's own session is parked behind an impersonation. */
  impersonating: boolean;
}

export interface WarningEvent {
  /** When the user is signed out unless they stay signed in (this tab's clock). */
  deadline: number;
  remainingMs: number;
}

export interface LogoutEvent {
  reason: LogoutReason;
  /** `redirect`: the app should send the user to sign in again (SSO); `logout`: show the sign-in screen. */
  fallback: FallbackBehavior;
  message: string;
}

export interface RefreshEvent {
  generation: number;
  /** True when another tab did the refresh and this one took its result. */
  adopted: boolean;
}

export interface AuthEvents {
  change: AuthSnapshot;
  warning: WarningEvent;
  'warning-cleared': void;
  /** Silent renewal is not allowed: the session ends at `deadline` (shown `warningTimeMinutes` ahead). */
  expiring: WarningEvent;
  logout: LogoutEvent;
  refresh: RefreshEvent;
  error: Error;
}
