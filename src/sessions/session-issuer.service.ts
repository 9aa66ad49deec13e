import { Injectable } from '@nestjs/common';
import { Clock } from '../platform/clock';
import type { ClientContext } from '../platform/http/client-context';
import { AppConfig, InjectConfig } from '../platform/config/app-config';
import { resolveSessionPolicy, SessionPolicy, StoredSessionPolicy } from '../identity/organizations/session-policy';
import { idleDeadlineMs, tokenLifetimeSeconds } from './policy/session-rules';
import { toUserPayload, UserPayload } from '../identity/users/user-payload';
import type { User } from '../identity/users/user.entity';
import { AccessTokenService, accessTokenExpiryMs } from '../tokens/access-token.service';
import { amrOf } from './session-amr';
import { SessionMethod } from './session.entity';
import { SessionSnapshot } from './session-snapshot';
import { generateRefreshToken, hashRefreshToken } from '../tokens/refresh-token.codec';
import { SessionsRepository } from './sessions.repository';

/** Server-computed deadlines, so every tab counts down from the same numbers. */
export interface SessionInfo {
  id: string;
  method: SessionMethod;
  createdAt: string;
  /** The absolute limit: no refresh goes past it. */
  expiresAt: string;
  /** When the session dies without activity; null when the policy is off. */
  idleExpiresAt: string | null;
  accessTokenExpiresAt: string;
  /** When the session last proved a second factor; null if it never did. */
  mfaAt: string | null;
}

export interface LoginResult {
  token: string;
  refreshToken: string;
  sessionConfig: SessionPolicy;
  user: UserPayload;
  session: SessionInfo;
}

export type SessionUser = Pick<
  User,
  'id' | 'email' | 'firstName' | 'lastName' | 'organizationId' | 'accessRole' | 'conversationOpenPreference'
> & { organization?: { sessionPolicy: StoredSessionPolicy } | null };

export interface IssueInput {
  user: SessionUser;
  method: SessionMethod;
  client: ClientContext;
  impersonatorId?: string;
  /** Shorter absolute lifetime (impersonation: 60 minutes). */
  maxLifetimeMs?: number;
  /** The login proved a second factor at this time (its access tokens then carry `amr: [..., "otp"]`). */
  secondFactorAt?: Date;
}

/** A workspace-scoped session (the workspace login): one access token with the workspace's `wsp`, no refresh token. */
export interface WorkspaceIssueInput {
  user: SessionUser;
  client: ClientContext;
  workspace: { id: string; slug: string };
}

interface OpenInput {
  user: SessionUser;
  method: SessionMethod;
  client: ClientContext;
  now: Date;
  lifetimeMs: number;
  impersonatorId: string | null;
  workspaceId: string | null;
  refreshToken: string | null;
  secondFactorAt?: Date | null;
}

/**
 * The one issuer: every sign-in (password, SSO, impersonation, the workspace login) has
 * proven who the user is, and opens its session here.
 */
@Injectable()
export class SessionIssuer {
  constructor(
    private readonly repository: SessionsRepository,
    private readonly accessTokens: AccessTokenService,
    private readonly clock: Clock,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async login(input: IssueInput): Promise<LoginResult> {
    const now = this.clock.now();
    const policy = resolveSessionPolicy(input.user.organization?.sessionPolicy);
    const absoluteMs = this.config.sessionAbsoluteHours * 3_600_000;
    const refreshToken = generateRefreshToken();
    const lifetimeMs = Math.min(absoluteMs, input.maxLifetimeMs ?? absoluteMs);
    const secondFactorAt = input.secondFactorAt ?? null;
    const sessionId = await this.open({ ...input, now, lifetimeMs, impersonatorId: input.impersonatorId ?? null, workspaceId: null, refreshToken, secondFactorAt });
    const expiresAtMs = now.getTime() + lifetimeMs;
    const mfaAtMs = secondFactorAt?.getTime() ?? null;
    const token = this.accessTokens.sign({
      userId: input.user.id,
      sessionId,
      organizationId: input.user.organizationId,
      role: input.user.accessRole,
      impersonatorId: input.impersonatorId,
      amr: amrOf(input.method, mfaAtMs),
      issuedAt: now,
      lifetimeSeconds: tokenLifetimeSeconds(policy),
    });
    return {
      token,
      refreshToken,
      sessionConfig: policy,
      user: toUserPayload(input.user),
      session: this.describe(sessionId, input.method, now.getTime(), expiresAtMs, now.getTime(), policy, accessTokenExpiryMs(now, tokenLifetimeSeconds(policy)), mfaAtMs),
    };
  }

  /** The workspace login's session: it cannot outlive its one access token. Answers that token. */
  async loginToWorkspace(input: WorkspaceIssueInput): Promise<string> {
    const now = this.clock.now();
    const lifetimeSeconds = tokenLifetimeSeconds(resolveSessionPolicy(input.user.organization?.sessionPolicy));
    const lifetimeMs = Math.min(this.config.sessionAbsoluteHours * 3_600_000, lifetimeSeconds * 1000);
    const sessionId = await this.open({
      user: input.user,
      method: SessionMethod.Password,
      client: input.client,
      now,
      lifetimeMs,
      impersonatorId: null,
      workspaceId: input.workspace.id,
      refreshToken: null,
    });
    return this.accessTokens.sign({
      userId: input.user.id,
      sessionId,
      organizationId: input.user.organizationId,
      role: input.user.accessRole,
      workspace: input.workspace.slug,
      issuedAt: now,
      lifetimeSeconds,
    });
  }

  private open(input: OpenInput): Promise<string> {
    return this.repository.open({
      userId: input.user.id,
      organizationId: input.user.organizationId,
      method: input.method,
      impersonatorId: input.impersonatorId,
      workspaceId: input.workspaceId,
      at: input.now,
      expiresAt: new Date(input.now.getTime() + input.lifetimeMs),
      ip: input.client.ip,
      userAgent: input.client.userAgent,
      refreshTokenHash: input.refreshToken ? hashRefreshToken(input.refreshToken) : null,
      secondFactorAt: input.secondFactorAt ?? null,
    });
  }

  /** The refresh answer: a fresh access token for a rotated (or grace-window) refresh token. */
  renew(snapshot: SessionSnapshot, refreshToken: string): LoginResult {
    const now = this.clock.now();
    const token = this.accessTokens.sign({
      userId: snapshot.userId,
      sessionId: snapshot.sessionId,
      organizationId: snapshot.organizationId,
      role: snapshot.user.accessRole,
      impersonatorId: snapshot.impersonator?.id,
      amr: amrOf(snapshot.method, snapshot.mfaAtMs),
      issuedAt: now,
      lifetimeSeconds: tokenLifetimeSeconds(snapshot.policy),
    });
    return {
      token,
      refreshToken,
      sessionConfig: snapshot.policy,
      user: toUserPayload(snapshot.user),
      session: this.describe(snapshot.sessionId, snapshot.method, snapshot.createdAtMs, snapshot.expiresAtMs, now.getTime(), snapshot.policy, accessTokenExpiryMs(now, tokenLifetimeSeconds(snapshot.policy)), snapshot.mfaAtMs),
    };
  }

  /** The session block of login, refresh and me answers: every deadline computed here, on the server's clock. */
  describe(
    id: string,
    method: SessionMethod,
    createdAtMs: number,
    expiresAtMs: number,
    lastActivityMs: number,
    policy: SessionPolicy,
    accessTokenExpiresAtMs: number,
    mfaAtMs: number | null,
  ): SessionInfo {
    return {
      ...this.stableInfo(id, method, createdAtMs, expiresAtMs),
      ...this.deadlines(expiresAtMs, lastActivityMs, policy, accessTokenExpiresAtMs),
      mfaAt: mfaAtMs === null ? null : new Date(mfaAtMs).toISOString(),
    };
  }

  /** The part of the session block that never changes for a session. */
  stableInfo(id: string, method: SessionMethod, createdAtMs: number, expiresAtMs: number): Pick<SessionInfo, 'id' | 'method' | 'createdAt' | 'expiresAt'> {
    return { id, method, createdAt: new Date(createdAtMs).toISOString(), expiresAt: new Date(expiresAtMs).toISOString() };
  }

  /** The part that moves with activity and with each access token. */
  deadlines(
    expiresAtMs: number,
    lastActivityMs: number,
    policy: SessionPolicy,
    accessTokenExpiresAtMs: number,
  ): Pick<SessionInfo, 'idleExpiresAt' | 'accessTokenExpiresAt'> {
    const idle = idleDeadlineMs(lastActivityMs, policy);
    return {
      idleExpiresAt: idle === null ? null : new Date(Math.min(idle, expiresAtMs)).toISOString(),
      accessTokenExpiresAt: new Date(accessTokenExpiresAtMs).toISOString(),
    };
  }
}
