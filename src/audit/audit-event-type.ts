/**
 * Every kind of event the audit trail holds: one list, so a reader finds them all and a
 * writer cannot misspell one. A feature adds its own here (dotted, `<area>.<what happened>`).
 */
export enum AuditEventType {
  ImpersonationIssued = 'impersonation.issued',
  ImpersonationRedeemed = 'impersonation.redeemed',
  ImpersonationRejected = 'impersonation.rejected',
  ImpersonationEnded = 'impersonation.ended',
  SessionPolicyUpdated = 'session_policy.updated',
}

export const AUDIT_EVENT_TYPES: readonly AuditEventType[] = Object.values(AuditEventType);
