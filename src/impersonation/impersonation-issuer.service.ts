import { Injectable } from '@nestjs/common';
import type { SessionSnapshot } from '../sessions/session-snapshot';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../platform/clock';
import { ApiErrorCode } from '../platform/errors/api-error-code';
import { apiError } from '../platform/errors/api.exception';
import type { ClientContext } from '../platform/http/client-context';
import { SecurityEvents } from '../platform/logging/security-events';
import { AppConfig, InjectConfig } from '../platform/config/app-config';
import { toUserPayload } from '../identity/users/user-payload';
import { AccessRole } from '../identity/users/user.entity';
import { UsersService } from '../identity/users/users.service';
import { ImpersonationTicketDto } from './dto/impersonation-ticket.response';
import { ImpersonationEventType } from './impersonation-audit';
import { ImpersonationRepository } from './impersonation.repository';
import { StepUp } from '../mfa/step-up.service';
import { isUuid } from '../platform/uuid';
import { ImpersonationTokens } from './impersonation-token.service';

/** POST /api/auth/impersonate/{userId}: the admin asks for a single-use ticket to act as a user of their organization. */
@Injectable()
export class ImpersonationIssuer {
  constructor(
    private readonly repository: ImpersonationRepository,
    private readonly users: UsersService,
    private readonly tokens: ImpersonationTokens,
    private readonly audit: AuditService,
    private readonly events: SecurityEvents,
    private readonly clock: Clock,
    private readonly stepUp: StepUp,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async issue(caller: SessionSnapshot, targetUserId: string, reason: string | undefined, client: ClientContext): Promise<ImpersonationTicketDto> {
    // Power needs a fresh second factor from an admin who has one (or whom the MFA policy requires to).
    await this.stepUp.assertRecent(caller);
    // Unknown, malformed, another organization's or inactive: one answer, so ids cannot be probed.
    const target = isUuid(targetUserId) ? await this.users.findById(targetUserId.toLowerCase()) : null;
    if (!target || target.organizationId !== caller.organizationId || !target.active) {
      throw apiError(ApiErrorCode.USER_NOT_FOUND);
    }
    if (target.id === caller.userId) throw apiError(ApiErrorCode.IMPERSONATION_FORBIDDEN, 'You cannot impersonate yourself.');
    if (target.accessRole === AccessRole.ADMIN) {
      throw apiError(ApiErrorCode.IMPERSONATION_FORBIDDEN, 'An ADMIN cannot be impersonated.');
    }

    const now = this.clock.now();
    // Whole seconds, so the row and the token's `exp` name the same instant.
    const expiresAt = new Date((Math.floor(now.getTime() / 1000) + this.config.impersonation.tokenTtlSeconds) * 1000);
    const { token, jti } = this.tokens.sign({
      targetUserId: target.id,
      email: target.email,
      adminId: caller.userId,
      organizationId: target.organizationId,
      issuedAt: now,
      expiresAt,
    });
    const note = reason && reason.trim().length > 0 ? reason : null;
    await this.repository.transaction(async (manager) => {
      await this.repository.insertTicket(
        { jti, organizationId: target.organizationId, adminId: caller.userId, targetUserId: target.id, reason: note, issuedAt: now, expiresAt },
        manager,
      );
      await this.audit.record(
        {
          type: ImpersonationEventType.Issued,
          organizationId: target.organizationId,
          actorUserId: caller.userId,
          targetUserId: target.id,
          reason: note,
          client,
          occurredAt: now,
          details: { jti, expiresAt: expiresAt.toISOString() },
        },
        manager,
      );
    });
    this.events.record(
      'impersonation.issued',
      client.requestId,
      { adminId: caller.userId, targetUserId: target.id, organizationId: target.organizationId, jti, ip: client.ip },
      'info',
    );
    return { impersonationToken: token, expiresAt: expiresAt.toISOString(), user: toUserPayload(target) };
  }
}
