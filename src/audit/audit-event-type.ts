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
  // Accounts (src/accounts): the admin API, passwords and invitations.
  UserCreated = 'user.created',
  UserInvited = 'user.invited',
  UserUpdated = 'user.updated',
  UserDeactivated = 'user.deactivated',
  UserReactivated = 'user.reactivated',
  UserRoleChanged = 'user.role_changed',
  UserSessionsRevoked = 'user.sessions_revoked',
  PasswordChanged = 'user.password_changed',
  PasswordReset = 'user.password_reset',
  PasswordResetSent = 'user.password_reset_sent',
  InvitationAccepted = 'user.invitation_accepted',
  MfaEnrolled = 'mfa.enrolled',
  MfaDisabled = 'mfa.disabled',
  MfaRecoveryCodeUsed = 'mfa.recovery_code_used',
  MfaRecoveryCodesRegenerated = 'mfa.recovery_codes_regenerated',
  MfaPolicyUpdated = 'mfa_policy.updated',
}

export const AUDIT_EVENT_TYPES: readonly AuditEventType[] = Object.values(AuditEventType);
