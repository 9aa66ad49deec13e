import { idleDeadlines, needsServerTouch, renewalTime, silentRenewalAllowed, tracksInput } from './policy';
import type { Deadlines, LogoutReason, SessionConfig, SessionMethod } from './types';

const MINUTE = 60_000;

/** Everything the client knows about the session at one moment, in this tab's clock. */
export interface TimelineInput {
  now: number;
  policy: SessionConfig | null;
  method: SessionMethod | null;
  /** Whether the session has a refresh token at all (workspace sessions do not). */
  refreshable: boolean;
  lastActivity: number;
  lastServerContact: number;
  serverIdleDeadline: number | null;
  sessionDeadline: number | null;
  accessTokenDeadline: number | null;
  accessTokenLifetimeMs: number;
  warningShown: boolean;
  expiringShown: boolean;
  /** The server said SILENT_RENEWAL_DISABLED although the policy we had allowed it. */
  renewalRefused: boolean;
  /** Do not try to refresh again before this (after a network or server failure). */
  refreshBackoffUntil: number;
}

export type TimelineAction =
  | { type: 'end'; reason: LogoutReason }
  | { type: 'warn'; deadline: number }
  | { type: 'clear-warning' }
  | { type: 'expiring'; deadline: number }
  | { type: 'refresh' }
  | { type: 'touch' };

export interface TimelinePlan {
  actions: TimelineAction[];
  deadlines: Deadlines;
  /** When something next becomes due; null when nothing will. */
  wakeAt: number | null;
}

export const canRenew = (input: Pick<TimelineInput, 'refreshable' | 'method' | 'policy' | 'renewalRefused'>): boolean =>
  input.refreshable && !input.renewalRefused && silentRenewalAllowed(input.method, input.policy);

/**
 * The session's state machine as one pure function: what is due now, and when to look
 * again. The client runs it on every timer, input, message from another tab and answer
 * from the server, so a tab whose timers were throttled in the background catches up
 * the moment it runs again.
 */
export function planTimeline(input: TimelineInput): TimelinePlan {
  const { now } = input;
  const { idle, warning } = idleDeadlines({
    policy: input.policy,
    lastActivity: input.lastActivity,
    serverIdleDeadline: input.serverIdleDeadline,
    sessionDeadline: input.sessionDeadline,
  });
  const deadlines: Deadlines = { idle, warning, session: input.sessionDeadline, accessToken: input.accessTokenDeadline };
  const future: number[] = [];
  const at = (time: number | null) => {
    if (time !== null && time > now) future.push(time);
  };

  if (input.sessionDeadline !== null && now >= input.sessionDeadline) {
    return { actions: [{ type: 'end', reason: 'SESSION_EXPIRED' }], deadlines, wakeAt: null };
  }
  if (idle !== null && now >= idle) {
    const reason: LogoutReason = tracksInput(input.policy) ? 'idle' : 'SESSION_IDLE_TIMEOUT';
    return { actions: [{ type: 'end', reason }], deadlines, wakeAt: null };
  }

  const actions: TimelineAction[] = [];
  if (warning !== null && idle !== null && now >= warning) {
    if (!input.warningShown) actions.push({ type: 'warn', deadline: idle });
  } else {
    if (input.warningShown) actions.push({ type: 'clear-warning' });
    at(warning);
  }
  at(idle);
  at(input.sessionDeadline);

  const token = input.accessTokenDeadline;
  if (token !== null) {
    if (canRenew(input)) {
      const renewAt = Math.max(renewalTime(token, input.accessTokenLifetimeMs), input.refreshBackoffUntil);
      if (now >= renewAt) actions.push({ type: 'refresh' });
      else at(renewAt);
    } else if (now >= token) {
      const reason: LogoutReason = input.refreshable ? 'SILENT_RENEWAL_DISABLED' : 'TOKEN_EXPIRED';
      return { actions: [{ type: 'end', reason }], deadlines, wakeAt: null };
    } else {
      const expiringAt = token - (input.policy?.warningTimeMinutes ?? 2) * MINUTE;
      if (now >= expiringAt) {
        if (!input.expiringShown) actions.push({ type: 'expiring', deadline: token });
      } else at(expiringAt);
      at(token);
    }
  }

  if (needsServerTouch(input)) actions.push({ type: 'touch' });
  else if (tracksInput(input.policy) && input.policy && input.lastActivity > input.lastServerContact) {
    at(input.lastServerContact + (input.policy.idleTimeoutMinutes * MINUTE) / 2);
  }

  return { actions, deadlines, wakeAt: future.length > 0 ? Math.min(...future) : null };
}
