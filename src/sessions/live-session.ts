import type { SessionMethod } from './session.entity';

/** One live session of a user, as the user's own session list shows it. */
export interface LiveSession {
  id: string;
  method: SessionMethod;
  createdAt: Date;
  /** The latest activity the service knows of (this instance's, when newer than the database's). */
  lastActivityAt: Date;
  /** The absolute limit. */
  expiresAt: Date;
  /** When it dies without activity; null when the organization's policy is off. */
  idleExpiresAt: Date | null;
  ip: string | null;
  userAgent: string | null;
  impersonator: { id: string; email: string } | null;
}
