import type { EntityManager } from 'typeorm';
import type { ClientContext } from '../platform/http/client-context';
import type { SessionEndReason, SessionMethod } from './session.entity';

/**
 * Who ended a session, when a person did (a logout, an admin's end, a password change).
 * Ends the server decides (expiry, idle timeout, refresh-token reuse, the impersonating
 * admin losing their standing) carry none.
 */
export interface EndAttribution {
  /** The person who acted (for an impersonated session's logout, the admin behind it); null for the fixture loader. */
  actorUserId: string | null;
  /** The request that did it; null for a command (the fixture loader). */
  client: ClientContext | null;
  /** The reason the person gave, if any (an admin ending an impersonation early). */
  note?: string | null;
  /** Who, in the organization's terms: the user themselves, an admin of theirs, or the fixture loader. */
  endedBy: 'self' | 'admin' | 'fixture';
}

/** Told once per session that ends, by the instance whose statement ended it. */
export interface SessionEnded {
  sessionId: string;
  userId: string;
  organizationId: string;
  method: SessionMethod;
  impersonatorId: string | null;
  /** The session's absolute limit (an expiry noticed late is dated there). */
  expiresAt: Date;
  reason: SessionEndReason;
  at: Date;
  attribution: EndAttribution | null;
}

/**
 * A module that must hear of every end (the impersonation trail). `manager` is set when
 * the end ran inside a transaction (the fixture loader's): write with it, so the record
 * commits, or rolls back, with the end.
 */
export interface SessionEndedListener {
  sessionEnded(event: SessionEnded, manager?: EntityManager): Promise<void>;
}
