import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AuditEventType } from '../audit/audit-event-type';
import { AuditService } from '../audit/audit.service';
import { SessionLivenessService } from '../sessions/session-liveness.service';
import type { SessionSnapshot } from '../sessions/session-snapshot';
import { ApiErrorCode } from '../platform/errors/api-error-code';
import { apiError } from '../platform/errors/api.exception';
import type { ClientContext } from '../platform/http/client-context';
import { Organization } from '../identity/organizations/organization.entity';
import { SessionPolicyDto, UpdateSessionPolicyRequest } from './dto/session-policy.dto';
import { resolveSessionPolicy, SESSION_POLICY_FIELDS, SessionPolicy } from '../identity/organizations/session-policy';

export type PolicyChanges = Partial<Record<keyof SessionPolicy, { before: unknown; after: unknown }>>;

/** The fields whose resolved value differs, with both values. */
export function policyChanges(before: SessionPolicy, after: SessionPolicy): PolicyChanges {
  const changes: PolicyChanges = {};
  for (const field of SESSION_POLICY_FIELDS) {
    if (before[field] !== after[field]) changes[field] = { before: before[field], after: after[field] };
  }
  return changes;
}

const toDto = (policy: SessionPolicy): SessionPolicyDto => {
  const dto = new SessionPolicyDto();
  for (const field of SESSION_POLICY_FIELDS) (dto as unknown as Record<string, unknown>)[field] = policy[field];
  return dto;
};

/** Reading and changing an organization's session policy (who may: the routes' access rule, its own ADMIN). */
@Injectable()
export class SessionPolicyService {
  constructor(
    @InjectRepository(Organization) private readonly organizations: Repository<Organization>,
    private readonly audit: AuditService,
    private readonly liveness: SessionLivenessService,
  ) {}

  async get(organizationId: string): Promise<SessionPolicyDto> {
    const org = await this.organizations.findOne({ where: { id: organizationId }, select: { id: true, sessionPolicy: true } });
    if (!org) throw notFound();
    return toDto(resolveSessionPolicy(org.sessionPolicy));
  }

  /**
   * Stores all nine fields and audits what changed, in one transaction (the row is
   * locked, so two admins saving at once get two accurate before/after records).
   * Takes effect at the next login or refresh of every session of the organization,
   * and at the next request of a running session (this instance at once, the others
   * within SESSION_CACHE_MS).
   */
  async update(
    caller: SessionSnapshot,
    organizationId: string,
    body: UpdateSessionPolicyRequest,
    client: ClientContext,
  ): Promise<SessionPolicyDto> {
    const next = resolveSessionPolicy(body);
    await this.organizations.manager.transaction(async (manager) => {
      const repo = manager.getRepository(Organization);
      const org = await repo.findOne({
        where: { id: organizationId },
        select: { id: true, sessionPolicy: true },
        lock: { mode: 'pessimistic_write' },
      });
      if (!org) throw notFound();
      const changes = policyChanges(resolveSessionPolicy(org.sessionPolicy), next);
      await repo.update({ id: organizationId }, { sessionPolicy: { ...next } });
      // A PUT that changes no value is not a change: nothing to audit.
      if (Object.keys(changes).length === 0) return;
      await this.audit.record(
        {
          type: AuditEventType.SessionPolicyUpdated,
          organizationId,
          actorUserId: caller.userId,
          sessionId: caller.sessionId,
          client,
          details: { changes },
        },
        manager,
      );
    });
    this.liveness.invalidateOrganization(organizationId);
    return toDto(next);
  }
}

const notFound = () => apiError(ApiErrorCode.NOT_FOUND, 'Organization not found.');
