import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { isUuid } from '../platform/uuid';
import { TokenCodec, TokenRefusal } from '../tokens/token-codec';
import { RejectionReason } from './impersonation-audit';

/** The claims of an impersonation token (audience `<api>:impersonation`, never a bearer token). */
export interface ImpersonationClaims {
  /** The target user. */
  sub: string;
  /** The target's email at issue time; the login body must present the same one. */
  email: string;
  isImpersonation: true;
  /** The admin who asked for it. */
  adm: string;
  /** The organization both belong to. */
  org: string;
  /** The ticket row that makes it single-use. */
  jti: string;
  iat: number;
  exp: number;
}

export interface TicketToSign {
  targetUserId: string;
  email: string;
  adminId: string;
  organizationId: string;
  issuedAt: Date;
  expiresAt: Date;
}

export type VerifiedImpersonation =
  | { ok: true; claims: ImpersonationClaims }
  /** `claims` is present when the signature was ours, so the refusal can be attributed. */
  | { ok: false; why: RejectionReason; claims?: Partial<ImpersonationClaims> };

/** The audit trail's name for each of the codec's refusals. */
const REASON: Record<TokenRefusal, RejectionReason> = {
  malformed: RejectionReason.Malformed,
  algorithm: RejectionReason.WrongAlgorithm,
  unknown_key: RejectionReason.UnknownKey,
  signature: RejectionReason.BadSignature,
  issuer: RejectionReason.WrongIssuer,
  audience: RejectionReason.WrongAudience,
  claims: RejectionReason.Malformed,
  not_yet_valid: RejectionReason.Malformed,
  expired: RejectionReason.Expired,
};

/** Impersonation tickets, signed and checked through the one codec (audience `<api>:impersonation`). */
@Injectable()
export class ImpersonationTokens {
  constructor(private readonly codec: TokenCodec) {}

  sign(ticket: TicketToSign): { token: string; jti: string } {
    const jti = randomUUID();
    const claims: Omit<ImpersonationClaims, 'iss' | 'aud'> = {
      sub: ticket.targetUserId,
      email: ticket.email,
      isImpersonation: true,
      adm: ticket.adminId,
      org: ticket.organizationId,
      jti,
      iat: Math.floor(ticket.issuedAt.getTime() / 1000),
      exp: Math.floor(ticket.expiresAt.getTime() / 1000),
    };
    return { token: this.codec.sign('impersonation', { ...claims }), jti };
  }

  verify(token: string, nowMs: number): VerifiedImpersonation {
    const verdict = this.codec.verify('impersonation', token, nowMs);
    const claims = verdict.claims as Partial<ImpersonationClaims> | undefined;
    // The shape is judged before expiry, so an expired ticket is attributed to the admin it names only when it names one.
    if (claims !== undefined && claims.isImpersonation !== true) return { ok: false, why: RejectionReason.NotImpersonation, claims };
    if (
      claims !== undefined &&
      (!isUuid(claims.sub) || !isUuid(claims.adm) || !isUuid(claims.org) || !isUuid(claims.jti) || typeof claims.email !== 'string')
    ) {
      return { ok: false, why: RejectionReason.Malformed, claims };
    }
    if (!verdict.ok) return { ok: false, why: REASON[verdict.why], claims };
    return { ok: true, claims: verdict.claims as unknown as ImpersonationClaims };
  }
}
