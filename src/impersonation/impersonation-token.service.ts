import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { decode, JsonWebTokenError, sign, verify } from 'jsonwebtoken';
import { SigningKeys } from '../tokens/signing-keys.service';
import { audiences, JWT_ALGORITHM } from '../tokens/token-audiences';
import { AppConfig, InjectConfig } from '../platform/config/app-config';
import { RejectionReason } from './impersonation-audit';
import { isUuid } from '../platform/uuid';

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

function reasonOf(err: unknown): RejectionReason {
  if (!(err instanceof JsonWebTokenError)) return RejectionReason.Malformed;
  if (err.message === 'invalid signature' || err.message === 'jwt signature is required') return RejectionReason.BadSignature;
  if (err.message === 'invalid algorithm') return RejectionReason.WrongAlgorithm;
  if (err.message.startsWith('jwt audience invalid')) return RejectionReason.WrongAudience;
  if (err.message.startsWith('jwt issuer invalid')) return RejectionReason.WrongIssuer;
  return RejectionReason.Malformed;
}

/**
 * Signs and checks impersonation tokens: HS256 with the current key and its
 * `kid`, the impersonation audience, our issuer. Expiry is judged against the
 * injected clock (not jsonwebtoken's), so tests can move time.
 */
@Injectable()
export class ImpersonationTokens {
  private readonly audience: string;

  constructor(
    private readonly keys: SigningKeys,
    @InjectConfig() private readonly config: AppConfig,
  ) {
    this.audience = audiences(config.jwt.audience).impersonation;
  }

  sign(ticket: TicketToSign): { token: string; jti: string } {
    const jti = randomUUID();
    const iat = Math.floor(ticket.issuedAt.getTime() / 1000);
    const claims: ImpersonationClaims = {
      sub: ticket.targetUserId,
      email: ticket.email,
      isImpersonation: true,
      adm: ticket.adminId,
      org: ticket.organizationId,
      jti,
      iat,
      exp: Math.floor(ticket.expiresAt.getTime() / 1000),
    };
    const token = sign(claims, this.keys.signingKey(), {
      algorithm: JWT_ALGORITHM,
      keyid: this.keys.currentKid,
      issuer: this.config.jwt.issuer,
      audience: this.audience,
    });
    return { token, jti };
  }

  verify(token: string, nowMs: number): VerifiedImpersonation {
    const decoded = decode(token, { complete: true });
    if (!decoded || typeof decoded.payload !== 'object') return { ok: false, why: RejectionReason.Malformed };
    // A kid is required: a token without one must not fall back to the current key.
    const kid = decoded.header.kid;
    const key = typeof kid === 'string' ? this.keys.verificationKey(kid) : undefined;
    if (!key) return { ok: false, why: RejectionReason.UnknownKey };
    let payload: Record<string, unknown>;
    try {
      payload = verify(token, key, {
        algorithms: [JWT_ALGORITHM],
        audience: this.audience,
        issuer: this.config.jwt.issuer,
        ignoreExpiration: true,
        clockTimestamp: Math.floor(nowMs / 1000),
      }) as Record<string, unknown>;
    } catch (err) {
      return { ok: false, why: reasonOf(err) };
    }
    const claims = payload as Partial<ImpersonationClaims>;
    if (payload.isImpersonation !== true) return { ok: false, why: RejectionReason.NotImpersonation, claims };
    if (
      !isUuid(claims.sub) ||
      !isUuid(claims.adm) ||
      !isUuid(claims.org) ||
      !isUuid(claims.jti) ||
      typeof claims.email !== 'string' ||
      typeof claims.exp !== 'number'
    ) {
      return { ok: false, why: RejectionReason.Malformed, claims };
    }
    if (nowMs >= claims.exp * 1000) return { ok: false, why: RejectionReason.Expired, claims };
    return { ok: true, claims: claims as ImpersonationClaims };
  }
}
