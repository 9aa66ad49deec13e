import { Injectable } from '@nestjs/common';
import { ApiErrorCode } from '../../platform/errors/api-error-code';
import { apiError } from '../../platform/errors/api.exception';
import type { ClientContext } from '../../platform/http/client-context';
import { isUuid } from '../../platform/uuid';
import { SessionEndReason } from '../../sessions/session.entity';
import type { SessionSnapshot } from '../../sessions/session-snapshot';
import { SessionsService } from '../../sessions/sessions.service';
import { OwnSessionsDto } from '../dto/own-session.dto';

const sessionNotFound = () => apiError(ApiErrorCode.NOT_FOUND, 'Session not found.');

/** The caller's own sessions: see them, end one, end all the others (through the kernel's sessions service). */
@Injectable()
export class OwnSessionsService {
  constructor(private readonly sessions: SessionsService) {}

  async list(caller: SessionSnapshot): Promise<OwnSessionsDto> {
    const live = await this.sessions.listLive(caller.userId);
    return {
      items: live.map((s) => ({
        id: s.id,
        method: s.method,
        createdAt: s.createdAt.toISOString(),
        lastActivityAt: s.lastActivityAt.toISOString(),
        expiresAt: s.expiresAt.toISOString(),
        idleExpiresAt: s.idleExpiresAt ? s.idleExpiresAt.toISOString() : null,
        ip: s.ip,
        userAgent: s.userAgent,
        current: s.id === caller.sessionId,
        impersonator: s.impersonator,
      })),
    };
  }

  /** DELETE /api/auth/sessions/{id}: someone else's, unknown or already ended answers 404 alike. This one: a logout. */
  async end(caller: SessionSnapshot, sessionId: string, client: ClientContext): Promise<void> {
    if (!isUuid(sessionId) || !(await this.sessions.exists(sessionId, { userId: caller.userId }))) throw sessionNotFound();
    const reason = sessionId === caller.sessionId ? SessionEndReason.Logout : SessionEndReason.Revoked;
    if (!(await this.sessions.end(sessionId, reason, { actorUserId: caller.userId, client, endedBy: 'self' }))) throw sessionNotFound();
  }

  /** POST /api/auth/sessions/revoke-others: this session stays. */
  async endOthers(caller: SessionSnapshot, client: ClientContext): Promise<void> {
    await this.sessions.endOthersOfUser(caller.userId, caller.sessionId, SessionEndReason.Revoked, { actorUserId: caller.userId, client, endedBy: 'self' });
  }
}
