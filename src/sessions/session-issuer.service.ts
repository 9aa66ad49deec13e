import { Injectable } from '@nestjs/common';
import { Clock } from '../platform/clock';
import type { ClientContext } from '../platform/http/client-context';
import { AppConfig, InjectConfig } from '../platform/config/app-config';
import { resolveSessionPolicy, SessionPolicy, StoredSessionPolicy } from '../identity/organizations/session-policy';
import { idleDeadlineMs, tokenLifetimeSeconds } from './policy/session-rules';
import { toUserPayload, UserPayload } from '../identity/users/user-payload';
import type { User } from '../identity/users/user.entity';
import { AccessTokenService, accessTokenExpiryMs } from '../tokens/access-token.service';
import { SessionMethod } from './session.entity';
import { SessionSnapshot } from './session-snapshot';
import { SessionsService } from './sessions.service';

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
}

/** Opens a session for a user who has proven who they are, and answers with the login body. */
@Injectable()
export class SessionIssuer {
  constructor(
    private readonly sessions: SessionsService,
    private readonly accessTokens: AccessTokenService,
    private readonly clock: Clock,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async login(input: IssueInput): Promise<LoginResult> {
    const now = this.clock.now();
    const policy = resolveSessionPolicy(input.user.organization?.sessionPolicy);
    const absoluteMs = this.config.sessionAbsoluteHours * 3_600_000;
    const opened = await this.sessions.open({
      userId: input.user.id,
      organizationId: input.user.organizationId,
      method: input.method,
      client: input.client,
      now,
      lifetimeMs: Math.min(absoluteMs, input.maxLifetimeMs ?? absoluteMs),
      impersonatorId: input.impersonatorId ?? null,
      withRefreshToken: true,
    });
    const token = this.accessTokens.sign({
      userId: input.user.id,
      sessionId: opened.sessionId,
      organizationId: input.user.organizationId,
      role: input.user.accessRole,
      impersonatorId: input.impersonatorId,
      issuedAt: now,
      lifetimeSeconds: tokenLifetimeSeconds(policy),
    });
    return {
      token,
      refreshToken: opened.refreshToken as string,
      sessionConfig: policy,
      user: toUserPayload(input.user),
      session: this.describe(opened.sessionId, input.method, now.getTime(), opened.expiresAt.getTime(), now.getTime(), policy, accessTokenExpiryMs(now, tokenLifetimeSeconds(policy))),
    };
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
      issuedAt: now,
      lifetimeSeconds: tokenLifetimeSeconds(snapshot.policy),
    });
    return {
      token,
      refreshToken,
      sessionConfig: snapshot.policy,
      user: toUserPayload(snapshot.user),
      session: this.describe(snapshot.sessionId, snapshot.method, snapshot.createdAtMs, snapshot.expiresAtMs, now.getTime(), snapshot.policy, accessTokenExpiryMs(now, tokenLifetimeSeconds(snapshot.policy))),
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
  ): SessionInfo {
    return { ...this.stableInfo(id, method, createdAtMs, expiresAtMs), ...this.deadlines(expiresAtMs, lastActivityMs, policy, accessTokenExpiresAtMs) };
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
