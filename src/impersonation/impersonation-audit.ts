import { AuditEventType } from '../audit/audit-event-type';

/** The audit event types of the impersonation trail, listed by GET /api/auth/impersonations. */
export const ImpersonationEventType = {
  Issued: AuditEventType.ImpersonationIssued,
  Redeemed: AuditEventType.ImpersonationRedeemed,
  Rejected: AuditEventType.ImpersonationRejected,
  Ended: AuditEventType.ImpersonationEnded,
} as const;
export type ImpersonationEventType = (typeof ImpersonationEventType)[keyof typeof ImpersonationEventType];

export const IMPERSONATION_EVENT_TYPES = Object.values(ImpersonationEventType);

/**
 * Why a redemption was refused. The client only ever sees 401
 * IMPERSONATION_TOKEN_INVALID; the audit row says which rule failed.
 */
export enum RejectionReason {
  /** Not a JWT, or claims missing or of the wrong type. */
  Malformed = 'malformed',
  /** No `kid` header, or one naming no key of ours. */
  UnknownKey = 'unknown_key',
  BadSignature = 'bad_signature',
  WrongAlgorithm = 'wrong_algorithm',
  WrongIssuer = 'wrong_issuer',
  /** Another kind of token (an access token, a workspace token). */
  WrongAudience = 'wrong_audience',
  NotImpersonation = 'not_impersonation',
  Expired = 'expired',
  EmailMismatch = 'email_mismatch',
  /** Signed by us but no ticket row: never issued here. */
  UnknownTicket = 'unknown_ticket',
  /** The token's claims do not match the ticket it names. */
  TicketMismatch = 'ticket_mismatch',
  AlreadyRedeemed = 'already_redeemed',
  /** The issuing admin is no longer an active ADMIN of the target's organization. */
  AdminNotAllowed = 'admin_not_allowed',
  /** The target is inactive, moved to another organization, became an ADMIN or changed email. */
  TargetNotAllowed = 'target_not_allowed',
}
