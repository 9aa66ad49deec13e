import { Injectable } from '@nestjs/common';
import type { AccessRole } from '../identity/users/user.entity';
import { ApiErrorCode } from '../platform/errors/api-error-code';
import { isUuid } from '../platform/uuid';
import { TokenCodec } from './token-codec';

/** The claims of an access token (docs/resource-servers.md, "The claims"). */
export interface AccessTokenClaims {
  sub: string;
  sid: string;
  org: string;
  role: AccessRole;
  /** Present on impersonated sessions: the admin acting as `sub`. */
  act?: { sub: string };
  /** Present on workspace-scoped tokens: the workspace slug. */
  wsp?: string;
  /** How the session's user authenticated (RFC 8176): `["pwd"]`, `["pwd","otp"]`, `["sso"]`. */
  amr?: string[];
  iss: string;
  aud: string;
  iat: number;
  exp: number;
}

/** The two kinds of bearer token: `/api/auth` and the other product APIs take `access`, workspace routes `workspace`. */
export type BearerKind = 'access' | 'workspace';

const issuedAtSeconds = (issuedAt: Date): number => Math.floor(issuedAt.getTime() / 1000);

/** The `exp` (in ms) that `AccessTokenService.sign` gives a token issued at `issuedAt`. */
export const accessTokenExpiryMs = (issuedAt: Date, lifetimeSeconds: number): number =>
  (issuedAtSeconds(issuedAt) + lifetimeSeconds) * 1000;

export interface AccessTokenInput {
  userId: string;
  sessionId: string;
  organizationId: string;
  role: AccessRole;
  impersonatorId?: string | null;
  workspace?: string;
  /** RFC 8176 authentication method references; left out when empty. */
  amr?: readonly string[];
  issuedAt: Date;
  lifetimeSeconds: number;
}

/**
 * A bearer token's verdict. `expired` still carries the claims (its signature was ours),
 * for a caller that answers an expired token by its session's state.
 */
export type BearerVerdict =
  | { ok: true; claims: AccessTokenClaims; expiresAtMs: number }
  | { ok: false; code: ApiErrorCode.TOKEN_INVALID }
  | { ok: false; code: ApiErrorCode.TOKEN_EXPIRED; claims: AccessTokenClaims };

/** Access and workspace tokens: what they say, signed and checked through the one codec. */
@Injectable()
export class AccessTokenService {
  constructor(private readonly codec: TokenCodec) {}

  /** `exp − iat` is exactly `lifetimeSeconds`: iat is the given issue time, not the library's clock. */
  sign(input: AccessTokenInput): string {
    const iat = issuedAtSeconds(input.issuedAt);
    const claims: Record<string, unknown> & { iat: number; exp: number } = {
      sub: input.userId,
      sid: input.sessionId,
      org: input.organizationId,
      role: input.role,
      iat,
      exp: iat + input.lifetimeSeconds,
    };
    if (input.impersonatorId) claims.act = { sub: input.impersonatorId };
    if (input.workspace) claims.wsp = input.workspace;
    if (input.amr && input.amr.length > 0) claims.amr = [...input.amr];
    return this.codec.sign(input.workspace ? 'workspace' : 'access', claims);
  }

  /**
   * A bearer token of `kind`, at the injected clock's now: TOKEN_EXPIRED past its `exp`,
   * TOKEN_INVALID for every other refusal of the codec, and for claims of the wrong shape
   * (a token with our signature is still not trusted to hold what it should).
   */
  verify(token: string, kind: BearerKind): BearerVerdict {
    const verdict = this.codec.verify(kind, token);
    const claims = verdict.ok || verdict.why === 'expired' ? verdict.claims : undefined;
    if (!claims || !hasBearerShape(claims, kind)) return { ok: false, code: ApiErrorCode.TOKEN_INVALID };
    if (!verdict.ok) return { ok: false, code: ApiErrorCode.TOKEN_EXPIRED, claims };
    return { ok: true, claims, expiresAtMs: claims.exp * 1000 };
  }
}

/** sid a UUID, sub, org and role strings, `act.sub` a string when present, `wsp` on workspace tokens only. */
function hasBearerShape(claims: Record<string, unknown>, kind: BearerKind): claims is Record<string, unknown> & AccessTokenClaims {
  const act = claims.act as { sub?: unknown } | null | undefined;
  return (
    isUuid(claims.sid) &&
    typeof claims.sub === 'string' &&
    typeof claims.org === 'string' &&
    typeof claims.role === 'string' &&
    (act === undefined || (act !== null && typeof act === 'object' && typeof act.sub === 'string')) &&
    (kind === 'workspace' ? typeof claims.wsp === 'string' : claims.wsp === undefined)
  );
}
