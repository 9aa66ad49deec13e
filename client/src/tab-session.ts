import { ClockSkew } from './clock-skew';
import { Emitter } from './emitter';
import { asError, defaultChannel, defaultLocks, defaultStorage, defaultWindow, randomId } from './environment';
import { AuthApiError, Http } from './http';
import { IdleTracker } from './idle-tracker';
import type { AuthClientOptions, ClientEvents } from './options';
import { BusLease, RefreshLock, Timers, webLock } from './refresh-lock';
import { SessionStore } from './session-store';
import { withRefreshTokenInCookie } from './stored-session';
import { BusMessage, Envelope, openTabBus, TabBus } from './tab-bus';
import type { AuthSnapshot, LogoutReason, StoredSession } from './types';

/**
 * One tab's share of the origin's session: the state every tab holds the same copy of
 * (in storage and over the bus), the last user input anywhere, and the wiring to the
 * browser (storage, BroadcastChannel, Web Locks, input events).
 */
export abstract class TabSession {
  readonly tabId = randomId();
  protected readonly events = new Emitter<ClientEvents>();
  protected readonly skew = new ClockSkew();
  protected readonly http: Http;
  protected readonly store: SessionStore;
  protected readonly now: () => number;
  protected readonly timers: Timers;
  protected state: StoredSession | null = null;
  protected lock: RefreshLock | null = null;
  protected lastActivity = 0;
  protected lastServerContact = 0;
  protected warningShown = false;
  protected expiringShown = false;
  protected renewalRefused = false;
  protected refreshBackoffUntil = 0;
  private readonly namespace: string;
  private bus: TabBus | null = null;
  private tracker: IdleTracker | null = null;
  private readonly unlisten: (() => void)[] = [];

  constructor(protected readonly options: AuthClientOptions = {}) {
    this.now = options.now ?? (() => Date.now());
    const t = options.timers ?? globalThis;
    this.timers = {
      now: this.now,
      setTimeout: (fn, ms) => t.setTimeout(fn, ms),
      // Needed by the package's DOM-only build (client/tsconfig.build.json: clearTimeout takes number | undefined), which the linter's program does not see.
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
      clearTimeout: (handle) => t.clearTimeout(handle as ReturnType<typeof setTimeout>),
    };
    this.namespace = options.namespace ?? 'authgate';
    const fetchFn = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
    // The refresh cookie lives at authgate's /api/auth: only those requests need to carry (and accept) cookies.
    const credentialsFor = options.refreshTokenCookie ? (path: string) => (/^\/api\/auth\//.test(path) ? 'include' : 'omit') : undefined;
    this.http = new Http(options.baseUrl ?? '', fetchFn, this.skew, this.now, credentialsFor);
    const storage = options.refreshTokenCookie ? null : options.storage === undefined ? defaultStorage() : options.storage;
    this.store = new SessionStore(storage, this.namespace);
  }

  /** Joins the other tabs, starts listening for input and resumes a stored session (checked with GET /me). */
  start(): this {
    if (this.bus) return this;
    const o = this.options;
    const win = defaultWindow();
    const channel = o.broadcastChannel !== undefined ? o.broadcastChannel : defaultChannel();
    this.bus = openTabBus(this.namespace, { tabId: this.tabId, channel, storage: this.store.storage, storageEvents: win });
    this.unlisten.push(this.bus.subscribe((m) => this.onMessage(m)));
    const locks = o.locks !== undefined ? o.locks : defaultLocks();
    this.lock = locks ? webLock(locks, `${this.namespace}:refresh`) : new BusLease(this.bus, this.tabId, this.timers);
    const target = o.activityTarget !== undefined ? o.activityTarget : win;
    this.tracker = new IdleTracker(target, o.activityThrottleMs ?? 1000, this.now, (at) => this.onInput(at));
    this.tracker.start();
    if (win && typeof document !== 'undefined') {
      const wake = () => this.evaluate();
      const types = ['focus', 'pageshow', 'online'];
      for (const type of types) win.addEventListener(type, wake);
      document.addEventListener('visibilitychange', wake);
      this.unlisten.push(() => {
        for (const type of types) win.removeEventListener(type, wake);
        document.removeEventListener('visibilitychange', wake);
      });
    }
    this.lastActivity = this.store.readActivity() || this.now();
    const stored = this.store.read();
    if (stored) {
      this.adopt(stored);
      if (this.state) this.touch().catch((err: unknown) => this.events.emit('error', asError(err)));
    } else if (o.refreshTokenCookie) {
      this.resumeFromCookie();
    } else {
      this.emitChange();
    }
    return this;
  }

  /** Stops timers and listeners; the session stays for the other tabs. */
  stop(): void {
    this.tracker?.stop();
    for (const off of this.unlisten.splice(0)) off();
    this.bus?.close();
    this.bus = null;
    this.lock = null;
  }

  on<K extends keyof ClientEvents>(event: K, handler: (payload: ClientEvents[K]) => void): () => void {
    return this.events.on(event, handler);
  }

  /** The current access token, or null when signed out. */
  get token(): string | null {
    return this.state?.token ?? null;
  }

  /** A new session (login, impersonation, the admin's own again): counts as activity, shared with every tab. */
  protected begin(state: StoredSession): void {
    this.lastActivity = Math.max(this.lastActivity, this.now());
    this.store.writeActivity(this.lastActivity);
    this.commit(state);
  }

  protected nextGeneration(): number {
    return Math.max(this.state?.generation ?? 0, this.store.read()?.generation ?? 0) + 1;
  }

  protected requireState(): StoredSession {
    if (!this.state) throw new AuthApiError(401, 'TOKEN_INVALID', 'Not signed in.', null);
    return this.state;
  }

  protected broadcast(message: BusMessage): void {
    this.bus?.post(message);
  }

  /** Saves a state this tab produced and tells the other tabs. */
  protected commit(produced: StoredSession): void {
    const state = this.options.refreshTokenCookie ? withRefreshTokenInCookie(produced) : produced;
    this.store.write(state);
    this.bus?.post({ type: 'session', state });
    this.adopt(state);
  }

  /** Takes a state as this tab's own (from this tab, storage or another tab). */
  protected adopt(state: StoredSession): void {
    const sameSession = this.state?.session?.id === state.session?.id && this.state?.kind === state.kind;
    if (!sameSession) {
      this.warningShown = false;
      this.expiringShown = false;
      this.renewalRefused = false;
      this.refreshBackoffUntil = 0;
      this.lastServerContact = this.now();
    }
    this.state = state;
    this.store.remember(state);
    this.evaluate();
    this.emitChange();
  }

  private onMessage(message: Envelope): void {
    if (message.type === 'session') {
      const mine = this.state;
      const other = message.state;
      if (!mine || mine.session?.id !== other.session?.id || mine.kind !== other.kind || other.generation > mine.generation) {
        this.adopt(other);
      }
    } else if (message.type === 'logout') {
      if (this.state && (message.sessionId === null || message.sessionId === (this.state.session?.id ?? null))) {
        void this.end(message.reason, { notifyServer: false, broadcast: false });
      }
    } else if (message.type === 'activity') {
      this.lastActivity = Math.max(this.lastActivity, message.at);
      this.evaluate();
    }
  }

  private onInput(at: number): void {
    if (!this.state) return;
    if (this.warningShown && (this.options.warningDismissal ?? 'explicit') === 'explicit') return;
    this.recordActivity(at);
  }

  protected recordActivity(at: number): void {
    this.lastActivity = Math.max(this.lastActivity, at);
    this.store.writeActivity(this.lastActivity);
    this.bus?.post({ type: 'activity', at: this.lastActivity });
    this.evaluate();
  }

  protected emitChange(): void {
    this.events.emit('change', this.snapshot());
  }

  /** Looks at the clock: runs what is due and plans the next look. */
  protected abstract evaluate(): void;

  protected abstract end(reason: LogoutReason, how: { notifyServer: boolean; broadcast: boolean }): Promise<void>;

  abstract touch(): Promise<void>;

  /** The refresh cookie's mode, at start without a session: one refresh by the cookie, unless another tab answers first. */
  protected abstract resumeFromCookie(): void;

  abstract snapshot(): AuthSnapshot;
}
