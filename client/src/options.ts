import type { MfaEvents } from './mfa-steps';
import type { LockManagerLike, Timers } from './refresh-lock';
import type { BroadcastChannelLike, StorageLike } from './tab-bus';
import type { AuthEvents, LogoutEvent, LogoutReason } from './types';

export interface AuthClientOptions {
  /** Where authgate lives; '' (the default) for the page's own origin. */
  baseUrl?: string;
  /** Prefix of the localStorage keys, the BroadcastChannel and the Web Lock. */
  namespace?: string;
  fetch?: typeof fetch;
  /**
   * Origins (`https://api.example.com`) that `auth.fetch` sends the access token to.
   * Default: the page's own origin and `baseUrl`'s.
   */
  apiOrigins?: string[];
  /** Shared by the tabs of the origin (localStorage by default); null keeps the session in memory. */
  storage?: StorageLike | null;
  /**
   * This tab's own (sessionStorage by default): where an SSO sign-in's browserNonce waits
   * while the browser is at WorkOS. null keeps it in memory (the sign-in must finish in the same page).
   */
  sessionStorage?: StorageLike | null;
  /**
   * The server runs with REFRESH_TOKEN_COOKIE: the refresh token stays in its httpOnly
   * cookie, nothing goes to storage (the access token lives in memory, tabs share it over
   * the BroadcastChannel), and a reload or a new tab signs in again with one refresh by the
   * cookie. Overrides `storage`. Trade-offs: client/README.md, "Cookie mode".
   */
  refreshTokenCookie?: boolean;
  broadcastChannel?: ((name: string) => BroadcastChannelLike) | null;
  locks?: LockManagerLike | null;
  /** Where user input is listened for (the window by default); null turns input tracking off. */
  activityTarget?: EventTarget | null;
  /** At most one activity report per this many ms (default 1000). */
  activityThrottleMs?: number;
  /** `explicit` (default): once the idle warning shows, only `staySignedIn()` keeps the session. */
  warningDismissal?: 'explicit' | 'activity';
  /** Called in every tab when a session ends with the `redirect` fallback (SSO re-authentication). */
  onRedirect?: (event: LogoutEvent) => void;
  now?: () => number;
  timers?: Pick<Timers, 'setTimeout' | 'clearTimeout'>;
}

export interface ClientEvents extends AuthEvents, MfaEvents {
  /** The impersonated session ended; the admin's own session is back. */
  'impersonation-ended': { reason: LogoutReason };
}
