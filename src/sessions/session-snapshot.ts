import { resolveSessionPolicy, SessionPolicy, StoredSessionPolicy } from '../identity/organizations/session-policy';
import { AccessRole } from '../identity/users/user.entity';
import { SessionEndReason, SessionMethod } from './session.entity';

/** One row with everything a bearer request or a refresh needs: session, user, policy. */
export interface SessionRow {
  session_id: string;
  user_id: string;
  organization_id: string;
  method: SessionMethod;
  impersonator_id: string | null;
  impersonator_email: string | null;
  impersonator_in_good_standing: boolean;
  workspace_id: string | null;
  created_at: Date;
  last_activity_at: Date;
  expires_at: Date;
  ended_at: Date | null;
  end_reason: SessionEndReason | null;
  mfa_at: Date | null;
  email: string;
  first_name: string;
  last_name: string;
  access_role: AccessRole;
  conversation_open_preference: string;
  active: boolean;
  session_policy: StoredSessionPolicy;
}

export const SESSION_COLUMNS = `
  s.id AS session_id, s.user_id, s.organization_id, s.method, s.impersonator_id, s.workspace_id,
  s.created_at, s.last_activity_at, s.expires_at, s.ended_at, s.end_reason, s.mfa_at,
  u.email, u.first_name, u.last_name, u.access_role, u.conversation_open_preference, u.active,
  o.session_policy, imp.email AS impersonator_email,
  (s.impersonator_id IS NULL OR COALESCE(imp.active AND imp.access_role = 'ADMIN' AND imp.organization_id = s.organization_id, false))
    AS impersonator_in_good_standing`;

export const SESSION_JOINS = `
  JOIN users u ON u.id = s.user_id
  JOIN organizations o ON o.id = s.organization_id
  LEFT JOIN users imp ON imp.id = s.impersonator_id`;

export interface SessionSnapshot {
  sessionId: string;
  userId: string;
  organizationId: string;
  method: SessionMethod;
  impersonator: { id: string; email: string } | null;
  /** False once the admin behind an impersonated session is no longer an active ADMIN of its organization; true when none. */
  impersonatorInGoodStanding: boolean;
  workspaceId: string | null;
  createdAtMs: number;
  lastActivityMs: number;
  expiresAtMs: number;
  endedReason: SessionEndReason | null;
  /** When the session last proved a second factor (login's second step, step-up); null if never. */
  mfaAtMs: number | null;
  user: {
    id: string;
    email: string;
    firstName: string;
    lastName: string;
    organizationId: string;
    accessRole: AccessRole;
    conversationOpenPreference: string;
    active: boolean;
  };
  policy: SessionPolicy;
}

export function toSnapshot(row: SessionRow): SessionSnapshot {
  return {
    sessionId: row.session_id,
    userId: row.user_id,
    organizationId: row.organization_id,
    method: row.method,
    impersonator:
      row.impersonator_id && row.impersonator_email ? { id: row.impersonator_id, email: row.impersonator_email } : null,
    impersonatorInGoodStanding: row.impersonator_in_good_standing,
    workspaceId: row.workspace_id,
    createdAtMs: row.created_at.getTime(),
    lastActivityMs: row.last_activity_at.getTime(),
    expiresAtMs: row.expires_at.getTime(),
    endedReason: row.ended_at ? (row.end_reason ?? SessionEndReason.Revoked) : null,
    mfaAtMs: row.mfa_at ? row.mfa_at.getTime() : null,
    user: {
      id: row.user_id,
      email: row.email,
      firstName: row.first_name,
      lastName: row.last_name,
      organizationId: row.organization_id,
      accessRole: row.access_role,
      conversationOpenPreference: row.conversation_open_preference,
      active: row.active,
    },
    policy: resolveSessionPolicy(row.session_policy),
  };
}
