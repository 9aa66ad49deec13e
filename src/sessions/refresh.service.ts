import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../platform/clock';
import { AppConfig, InjectConfig } from '../platform/config/app-config';
import { ApiErrorCode } from '../platform/errors/api-error-code';
import { ApiException, apiError } from '../platform/errors/api.exception';
import { MetricsService } from '../platform/metrics/metrics.service';
import { SecurityEvents } from '../platform/logging/security-events';
import {
  generateRefreshToken,
  hashRefreshToken,
  isWellFormedRefreshToken,
  sealSuccessor,
  unsealSuccessor,
} from '../tokens/refresh-token.codec';
import { codeForEnd, judgeSession, renewalRefusal } from './policy/session-verdict';
import { SessionEndReason } from './session.entity';
import { SessionSnapshot, toSnapshot } from './session-snapshot';
import { SessionLivenessService } from './session-liveness.service';
import { RefreshRow, SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';

export interface Rotation {
  snapshot: SessionSnapshot;
  refreshToken: string;
}

/**
 * Refresh-token rotation. Each token works once; the exchange is one
 * conditional UPDATE, so of N racing requests exactly one rotates. The others,
 * inside the grace window, get the very token it was rotated to (unsealed with
 * the token they present); after the window, presenting it again is reuse and
 * ends the whole session. A session never has two live chains.
 *
 * Whether the session may renew at all is the bearer check's own rule set
 * (policy/session-verdict.ts), asked again after a lost race: whatever ended the
 * session meanwhile (a logout, an admin, a deactivation) answers its 401.
 */
@Injectable()
export class RefreshService {
  constructor(
    private readonly repository: SessionsRepository,
    private readonly clock: Clock,
    private readonly sessions: SessionsService,
    private readonly liveness: SessionLivenessService,
    private readonly events: SecurityEvents,
    @InjectConfig() private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  /** `requestId`: the request presenting the token, for the reuse event. Counted by outcome in the metrics. */
  async rotate(refreshToken: string, requestId: string): Promise<Rotation> {
    try {
      const rotation = await this.rotateOrReplay(refreshToken, requestId);
      this.metrics.refresh(rotation.replayed ? 'grace' : 'rotated');
      return { snapshot: rotation.snapshot, refreshToken: rotation.refreshToken };
    } catch (err) {
      this.metrics.refresh(err instanceof ApiException && err.code === ApiErrorCode.REFRESH_TOKEN_REUSED ? 'reuse' : 'refused');
      throw err;
    }
  }

  /** The session a refresh token (the current one or an already rotated one) belongs to; null for an unknown or malformed token. */
  async sessionOf(refreshToken: string): Promise<SessionSnapshot | null> {
    if (!isWellFormedRefreshToken(refreshToken)) return null;
    const row = await this.repository.findByRefreshToken(hashRefreshToken(refreshToken));
    return row ? toSnapshot(row) : null;
  }

  private async rotateOrReplay(refreshToken: string, requestId: string): Promise<Rotation & { replayed: boolean }> {
    if (!isWellFormedRefreshToken(refreshToken)) throw apiError(ApiErrorCode.INVALID_REFRESH_TOKEN);
    const tokenHash = hashRefreshToken(refreshToken);
    const now = this.clock.now();
    let row = await this.find(tokenHash);
    let snapshot = await this.assertRenewable(row, now);

    if (row.rotated_at === null) {
      const successor = generateRefreshToken();
      if (await this.exchange(row, refreshToken, successor, now)) {
        this.liveness.noteActivity(snapshot.sessionId, now.getTime());
        return { snapshot, refreshToken: successor, replayed: false };
      }
      // Another request rotated it first, or something ended the session: judge again on what is there now.
      row = await this.find(tokenHash);
      snapshot = await this.assertRenewable(row, now);
      if (row.rotated_at === null) throw apiError(ApiErrorCode.INVALID_REFRESH_TOKEN);
    }
    return { snapshot, refreshToken: await this.withinGrace(row, row.rotated_at, refreshToken, now, requestId), replayed: true };
  }

  private async find(tokenHash: Buffer): Promise<RefreshRow> {
    const row = await this.repository.findByRefreshToken(tokenHash);
    if (!row) throw apiError(ApiErrorCode.INVALID_REFRESH_TOKEN);
    return row;
  }

  private exchange(row: RefreshRow, presented: string, successor: string, now: Date): Promise<boolean> {
    return this.repository.exchange({
      tokenId: row.token_id,
      at: now,
      successorId: randomUUID(),
      successorSealed: sealSuccessor(presented, successor),
      successorHash: hashRefreshToken(successor),
    });
  }

  private async withinGrace(row: RefreshRow, rotatedAt: Date, presented: string, now: Date, requestId: string): Promise<string> {
    const graceMs = this.config.refreshGraceSeconds * 1000;
    const successor = row.successor_sealed ? unsealSuccessor(presented, row.successor_sealed) : null;
    const inGrace = now.getTime() - rotatedAt.getTime() <= graceMs;
    if (inGrace && successor && row.successor_rotated_at === null) return successor;
    await this.sessions.end(row.session_id, SessionEndReason.RefreshReuse);
    // A stolen token, or a client replaying an old one: either way the whole session is gone.
    this.events.record('refresh.reuse_detected', requestId, { sessionId: row.session_id, userId: row.user_id, rotatedAt: rotatedAt.toISOString() });
    throw apiError(ApiErrorCode.REFRESH_TOKEN_REUSED);
  }

  /** The session's verdict (ending it when it is dead but not yet marked), then the policy's renewal rule. */
  private async assertRenewable(row: RefreshRow, now: Date): Promise<SessionSnapshot> {
    const snapshot = toSnapshot(row);
    const lastActivityMs = Math.max(snapshot.lastActivityMs, this.liveness.lastSeenMs(snapshot.sessionId));
    const verdict = judgeSession(snapshot, now.getTime(), lastActivityMs);
    if (!verdict.alive) {
      if (verdict.endNow) await this.sessions.end(snapshot.sessionId, verdict.reason);
      throw apiError(codeForEnd(verdict.reason, 'refresh'));
    }
    const refusal = renewalRefusal(snapshot);
    if (refusal) throw apiError(refusal);
    return snapshot;
  }
}
