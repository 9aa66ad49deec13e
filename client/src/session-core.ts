import { asError } from './environment';
import type { LoginResponseDto, MeResponseDto } from './generated/openapi';
import { authorizedFetch, defaultApiOrigins } from './authorized-fetch';
import { errorOf, HttpAnswer, HttpRequest } from './http';
import { fallbackFor, fromWorkspaceCode, LOGOUT_MESSAGES, sessionEndingCode } from './policy';
import { canRenew, planTimeline, TimelineAction, TimelinePlan } from './session-timeline';
import { accessTokenExpiry, fromLoginResponse, REFRESH_TOKEN_IN_COOKIE, serverSecondOf, withMe, withRefresh } from './stored-session';
import { StableValue } from './snapshot';
import { TabSession } from './tab-session';
import type { AuthSnapshot, LogoutEvent, LogoutReason, ServerLogoutReason, StoredSession } from './types';

const MINUTE = 60_000;
/** Timers in background tabs are throttled and clocks jump: look again at least this often. */
const MAX_SLEEP_MS = 30_000;
const REFRESH_BACKOFF_MS = 10_000;
/** A token handed out by getAccessToken() or sent by fetch() has at least this long to live. */
const HANDOUT_MARGIN_MS = 30_000;

/**
 * The session machinery shared by every way of signing in: the timeline (idle, warning,
 * renewal, expiry), single-flight refresh, bearer requests, and ending a session in
 * every tab with its reason.
 */
export abstract class SessionCore extends TabSession {
  private timer: unknown = null;
  private refreshing: Promise<boolean> | null = null;
  private touching: Promise<void> | null = null;
  private readonly stableSnapshot = new StableValue<AuthSnapshot>();

  /**
   * `fetch` for the product's own API, with the access token (renewed first when it is
   * about to expire). Pass it where a fetch goes: `createClient({ fetch: auth.fetch })`
   * (openapi-fetch), or call it as `auth.fetch('/api/orders')`. The token goes only to
   * the page's origin, authgate's, and the `apiOrigins` option's.
   */
  readonly fetch: typeof fetch = authorizedFetch({
    getAccessToken: () => this.getAccessToken(),
    renewAfterRejection: (rejected) => this.renewAfterRejection(rejected),
    fetch: (input, init) => (this.options.fetch ?? globalThis.fetch)(input, init),
    mayReceiveToken: (url) => (this.options.apiOrigins ?? defaultApiOrigins(this.options.baseUrl ?? '')).includes(url.origin),
  });

  /** For `useSyncExternalStore(auth.subscribe, auth.getSnapshot)`: calls `onChange` whenever the snapshot changes. */
  readonly subscribe = (onChange: () => void): (() => void) => this.on('change', () => onChange());

  /** `snapshot()`, bound. */
  readonly getSnapshot = (): AuthSnapshot => this.snapshot();

  /** Stops timers and listeners; the session stays for the other tabs. */
  override stop(): void {
    this.clearTimer();
    super.stop();
  }

  /** The session as the UI shows it: the same (frozen) object until something in it changes. */
  snapshot(): AuthSnapshot {
    return this.stableSnapshot.take(this.currentSnapshot());
  }

  /**
   * The access token for a request to the product's API, renewed first when it expires
   * within 30 s (and renewal is allowed); null when signed out.
   */
  async getAccessToken(): Promise<string | null> {
    const state = this.state;
    if (!state) return null;
    if (this.tokenNeedsRenewal(state, HANDOUT_MARGIN_MS)) await this.refresh();
    return this.state?.token ?? null;
  }

  private async renewAfterRejection(rejected: string): Promise<string | null> {
    const latest = this.store.read();
    if (latest && latest.token !== rejected && latest.session?.id === this.state?.session?.id) {
      this.adopt(latest); // another tab renewed meanwhile
      return latest.token;
    }
    if (this.state?.token !== rejected || !this.canRenewNow()) return this.state?.token ?? null;
    await this.refresh();
    return this.state?.token ?? null;
  }

  private currentSnapshot(): AuthSnapshot {
    const s = this.state;
    return {
      status: s ? 'signed-in' : 'signed-out',
      kind: s?.kind ?? null,
      user: s?.user ?? null,
      impersonator: s?.impersonator ?? null,
      sessionConfig: s?.sessionConfig ?? null,
      method: s?.session?.method ?? null,
      sessionId: s?.session?.id ?? null,
      workspace: s?.workspace ?? null,
      deadlines: s ? this.plan(s).deadlines : { idle: null, warning: null, session: null, accessToken: null },
      warning: this.warningShown,
      clockSkewMs: this.skew.skewMs,
      impersonating: !!s?.parked,
    };
  }

  /**
   * Refreshes the access token, once per origin at a time. A tab that waited for the
   * lock while another refreshed takes that tab's result instead of rotating again.
   */
  refresh(): Promise<boolean> {
    if (this.refreshing) return this.refreshing;
    const seen = { generation: this.state?.generation ?? -1, refreshToken: this.state?.refreshToken ?? null };
    const sessionId = this.state?.session?.id ?? null;
    const lock = this.lock ?? { run: <T>(task: () => Promise<T>) => task() };
    this.refreshing = lock.run(() => this.refreshLocked(seen, sessionId)).finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /** GET /me: proves the session is live, moves the server's idle deadline, loads the impersonator. */
  touch(): Promise<void> {
    if (this.touching) return this.touching;
    this.touching = this.touchOnce().finally(() => {
      this.touching = null;
    });
    return this.touching;
  }

  /** "Stay signed in": counts as activity in every tab and tells the server. */
  async staySignedIn(): Promise<void> {
    if (!this.state) return;
    this.recordActivity(this.now());
    await this.touch();
  }

  /**
   * A bearer request to authgate: renews an expiring token first, retries once after a
   * TOKEN_EXPIRED, and ends the session (in every tab) on a code that ends it.
   */
  async authorized(method: string, path: string, init: { body?: unknown; headers?: Record<string, string> } = {}): Promise<unknown> {
    return (await this.authorizedAnswer(method, path, init)).body;
  }

  protected async authorizedAnswer(
    method: string,
    path: string,
    init: { body?: unknown; headers?: Record<string, string> },
  ): Promise<HttpAnswer> {
    let state = this.requireState();
    if (this.tokenNeedsRenewal(state)) {
      await this.refresh();
      state = this.requireState();
    }
    let answer = await this.http.request(method, path, { ...init, token: state.token });
    if (answer.status === 401) {
      const latest = this.store.read();
      if (latest && latest.token !== state.token && latest.session?.id === state.session?.id) {
        this.adopt(latest); // another tab renewed meanwhile
        answer = await this.http.request(method, path, { ...init, token: latest.token });
      } else if (errorOf(answer).code === 'TOKEN_EXPIRED' && this.canRenewNow() && (await this.refresh())) {
        answer = await this.http.request(method, path, { ...init, token: this.requireState().token });
      }
    }
    if (answer.status < 300) {
      this.lastServerContact = this.now();
      return answer;
    }
    const error = errorOf(answer);
    const reason = answer.status === 401 ? this.endingCode(error.code) : null;
    if (reason) await this.end(reason, { notifyServer: false, broadcast: true });
    throw error;
  }

  /** Without a readable Date header (cross-origin without Access-Control-Expose-Headers), the token deadline tells the server's time. */
  protected observeBody(answer: HttpAnswer): void {
    const second = answer.status === 200 ? serverSecondOf(answer.body as LoginResponseDto) : null;
    if (second !== null && !answer.dated) this.skew.observe(second, answer.sentAt, answer.receivedAt);
  }

  protected async restoreParked(parked: StoredSession, reason: LogoutReason): Promise<void> {
    this.events.emit('impersonation-ended', { reason });
    this.begin({ ...parked, parked: null, generation: this.nextGeneration() });
    await this.touch().catch((err: unknown) => this.events.emit('error', asError(err)));
  }

  /**
   * Ends the session in this tab, and optionally on the server and in every tab.
   * An impersonated session that ends on its own hands back to the admin's session.
   */
  protected async end(reason: LogoutReason, how: { notifyServer: boolean; broadcast: boolean }): Promise<void> {
    const state = this.state;
    if (!state) return;
    if (state.parked && reason !== 'user' && reason !== 'idle') return this.restoreParked(state.parked, reason);
    const fallback = fallbackFor(reason, state.session?.method ?? null, state.sessionConfig);
    this.state = null;
    this.warningShown = false;
    this.expiringShown = false;
    this.clearTimer();
    const stored = this.store.read();
    // Another tab may already have signed in again: only clear what is this session's.
    if (!stored || (stored.session?.id === state.session?.id && stored.kind === state.kind)) this.store.write(null);
    else this.store.remember(null);
    if (how.broadcast) this.broadcast({ type: 'logout', reason, fallback, sessionId: state.session?.id ?? null });
    const event: LogoutEvent = { reason, fallback, message: LOGOUT_MESSAGES[reason] };
    this.events.emit('logout', event);
    this.emitChange();
    if (fallback === 'redirect') this.options.onRedirect?.(event);
    if (how.notifyServer) {
      const path = state.kind === 'workspace' ? '/api/workspace/auth/logout' : '/api/auth/logout';
      // The cookie mode signs out by the cookie (as JSON): it works whatever the access token's age, and the answer clears it.
      const own: HttpRequest = state.refreshToken === REFRESH_TOKEN_IN_COOKIE ? { body: {} } : { token: state.token, ...(state.parked ? { credentials: 'omit' } : {}) };
      const requests = [own, ...(state.parked ? [{ token: state.parked.token }] : [])];
      await Promise.all(requests.map((request) => this.http.request('POST', path, { ...request, keepalive: true }).catch(() => undefined)));
    }
  }

  private async refreshLocked(seen: { generation: number; refreshToken: string | null }, sessionId: string | null): Promise<boolean> {
    const latest = this.store.read() ?? this.state;
    if (!latest || !latest.refreshToken || (latest.session?.id ?? null) !== sessionId) return false;
    // Another tab rotated while this one waited for the lock. The generation alone cannot say so:
    // Chromium hands a localStorage write to the other tabs' processes asynchronously, so two tabs
    // can each count the same next generation (one for a `me`, one for a rotation). The token can:
    // a refresh token that is not the one this tab set out to present was rotated by someone else.
    const tokenMoved = latest.refreshToken !== REFRESH_TOKEN_IN_COOKIE && latest.refreshToken !== seen.refreshToken;
    if (latest.generation > seen.generation || tokenMoved) {
      if (latest.generation > (this.state?.generation ?? -1) || latest.refreshToken !== this.state?.refreshToken) this.adopt(latest);
      this.events.emit('refresh', { generation: latest.generation, adopted: true });
      return true;
    }
    let answer: HttpAnswer;
    try {
      // In the cookie mode the body names no token: the server takes the cookie's (sent as JSON, its CSRF rule).
      const body = latest.refreshToken === REFRESH_TOKEN_IN_COOKIE ? {} : { refreshToken: latest.refreshToken };
      // An impersonated session's own token: no cookie goes or comes (the admin's stays).
      answer = await this.http.request('POST', '/api/auth/refresh', { body, ...(latest.parked ? { credentials: 'omit' } : {}) });
    } catch (err) {
      this.refreshBackoffUntil = this.now() + REFRESH_BACKOFF_MS;
      this.events.emit('error', asError(err));
      return false;
    }
    if (answer.status === 200) {
      this.observeBody(answer);
      this.lastServerContact = this.now();
      const next = withRefresh(latest, answer.body as LoginResponseDto, this.nextGeneration());
      this.commit(next);
      this.events.emit('refresh', { generation: next.generation, adopted: false });
      return true;
    }
    const again = this.store.read() ?? this.state;
    // (In the cookie mode every state says the same of its token: a newer state is the sign.)
    const rotatedElsewhere = latest.refreshToken === REFRESH_TOKEN_IN_COOKIE ? (again?.generation ?? -1) > latest.generation : again?.refreshToken !== latest.refreshToken;
    if (again && again.session?.id === sessionId && rotatedElsewhere) {
      this.adopt(again); // another tab rotated the token while this one asked: take its result, sign no one out
      return true;
    }
    const code = errorOf(answer).code;
    if (code === 'SILENT_RENEWAL_DISABLED') {
      this.renewalRefused = true;
      this.evaluate();
      return false;
    }
    const reason = answer.status === 401 ? sessionEndingCode(code) : null;
    if (reason) {
      await this.end(reason, { notifyServer: false, broadcast: true });
    } else {
      this.refreshBackoffUntil = this.now() + REFRESH_BACKOFF_MS;
      this.events.emit('error', errorOf(answer));
    }
    return false;
  }

  /**
   * Nothing is stored in the cookie mode, so a reload or a new tab starts without a
   * session: one refresh by the cookie restores it, under the refresh lock (so tabs opening
   * together rotate once; the server's grace window covers the rest). No cookie, or a dead
   * session: signed out, without a logout event (there was no session in this tab to end).
   */
  protected resumeFromCookie(): void {
    const lock = this.lock ?? { run: <T>(task: () => Promise<T>) => task() };
    void lock
      .run(async () => {
        if (this.state) return; // another tab shared its session meanwhile
        const answer = await this.http.request('POST', '/api/auth/refresh', { body: {} });
        if (answer.status !== 200 || this.state) return;
        this.observeBody(answer);
        this.lastServerContact = this.now();
        this.commit(fromLoginResponse(answer.body as LoginResponseDto, this.nextGeneration()));
      })
      .catch((err: unknown) => this.events.emit('error', asError(err)))
      .finally(() => {
        if (!this.state) this.emitChange();
      });
  }

  private async touchOnce(): Promise<void> {
    const state = this.state;
    if (!state) return;
    const answer = await this.authorizedAnswer('GET', state.kind === 'workspace' ? '/api/workspace/auth/me' : '/api/auth/me', {});
    const current = this.state;
    if (!current || current.session?.id !== state.session?.id || current.kind !== state.kind) return;
    if (current.kind === 'workspace') {
      const data = (answer.body as { Data?: StoredSession['workspace'] }).Data ?? current.workspace;
      this.commit({ ...current, workspace: data, generation: this.nextGeneration() });
    } else {
      // No skew estimate from a me body: its token deadline is the current token's, not a fresh one's.
      this.commit(withMe(current, answer.body as MeResponseDto, this.nextGeneration()));
    }
    // The admin's parked session should not die of idleness while they impersonate.
    if (current.parked) await this.http.request('GET', '/api/auth/me', { token: current.parked.token }).catch(() => undefined);
  }

  private plan(state: StoredSession): TimelinePlan {
    const policy = state.sessionConfig;
    const tokenServerMs = accessTokenExpiry(state);
    const serverIdle = this.skew.toLocal(state.session?.idleExpiresAt);
    const idleMs = (policy?.idleTimeoutMinutes ?? 0) * MINUTE;
    return planTimeline({
      now: this.now(),
      policy,
      method: state.session?.method ?? null,
      refreshable: !!state.refreshToken,
      lastActivity: this.lastActivity,
      // What the server last heard from this session, as far as any tab knows.
      lastServerContact: Math.max(this.lastServerContact, serverIdle !== null ? serverIdle - idleMs : 0),
      serverIdleDeadline: serverIdle,
      sessionDeadline: this.skew.toLocal(state.session?.expiresAt),
      accessTokenDeadline: tokenServerMs === null ? null : tokenServerMs - this.skew.skewMs,
      accessTokenLifetimeMs: (policy?.tokenExpiryHours ?? 1) * 3_600_000,
      warningShown: this.warningShown,
      expiringShown: this.expiringShown,
      renewalRefused: this.renewalRefused,
      refreshBackoffUntil: this.refreshBackoffUntil,
    });
  }

  /** Runs what is due and sets the one timer for what comes next. */
  protected evaluate(): void {
    this.clearTimer();
    const state = this.state;
    if (!state) return;
    const plan = this.plan(state);
    for (const action of plan.actions) this.run(action);
    if (this.state !== state || this.timer !== null) return;
    const delay = plan.wakeAt === null ? MAX_SLEEP_MS : Math.min(MAX_SLEEP_MS, Math.max(0, plan.wakeAt - this.now()) + 5);
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      this.evaluate();
    }, delay);
  }

  private run(action: TimelineAction): void {
    switch (action.type) {
      case 'end':
        void this.end(action.reason, { notifyServer: true, broadcast: true });
        return;
      case 'warn':
        this.warningShown = true;
        this.events.emit('warning', { deadline: action.deadline, remainingMs: action.deadline - this.now() });
        this.emitChange();
        return;
      case 'clear-warning':
        this.warningShown = false;
        this.events.emit('warning-cleared', undefined);
        this.emitChange();
        return;
      case 'expiring':
        this.expiringShown = true;
        this.events.emit('expiring', { deadline: action.deadline, remainingMs: action.deadline - this.now() });
        return;
      case 'refresh':
        void this.refresh();
        return;
      case 'touch':
        this.lastServerContact = this.now(); // one touch per half window, even if it fails
        this.touch().catch((err: unknown) => this.events.emit('error', asError(err)));
        return;
    }
  }

  private clearTimer(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private canRenewNow(): boolean {
    const s = this.state;
    if (!s) return false;
    return canRenew({ refreshable: !!s.refreshToken, method: s.session?.method ?? null, policy: s.sessionConfig, renewalRefused: this.renewalRefused });
  }

  private tokenNeedsRenewal(state: StoredSession, marginMs = 5_000): boolean {
    const expiry = accessTokenExpiry(state);
    return expiry !== null && this.canRenewNow() && expiry - this.skew.skewMs - this.now() < marginMs;
  }

  private endingCode(code: string | undefined): ServerLogoutReason | null {
    return this.state?.kind === 'workspace' ? fromWorkspaceCode(code) : sessionEndingCode(code);
  }
}
