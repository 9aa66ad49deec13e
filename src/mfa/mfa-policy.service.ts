import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AuditEventType } from '../audit/audit-event-type';
import { AuditService } from '../audit/audit.service';
import type { SessionSnapshot } from '../sessions/session-snapshot';
import { ApiErrorCode } from '../platform/errors/api-error-code';
import { apiError } from '../platform/errors/api.exception';
import type { ClientContext } from '../platform/http/client-context';
import { Organization } from '../identity/organizations/organization.entity';
import type { AccessRole } from '../identity/users/user.entity';
import { DEFAULT_MFA_POLICY, isMfaPolicy, MfaPolicy, policyRequiresMfa } from './mfa-policy';

export const MFA_POLICY_UPDATED_EVENT = AuditEventType.MfaPolicyUpdated;

/** The organization's MFA policy: who must have a second factor. */
@Injectable()
export class MfaPolicies {
  constructor(
    @InjectRepository(Organization) private readonly organizations: Repository<Organization>,
    private readonly audit: AuditService,
  ) {}

  async of(organizationId: string): Promise<MfaPolicy> {
    const org = await this.organizations.findOne({ where: { id: organizationId }, select: { id: true, mfaPolicy: true } });
    return org && isMfaPolicy(org.mfaPolicy) ? org.mfaPolicy : DEFAULT_MFA_POLICY;
  }

  async requires(user: { organizationId: string; accessRole: AccessRole }): Promise<boolean> {
    return policyRequiresMfa(await this.of(user.organizationId), user.accessRole);
  }

  /** The route's access rule (ADMIN of this organization) was applied by the guard. */
  async get(organizationId: string): Promise<MfaPolicy> {
    const org = await this.organizations.findOne({ where: { id: organizationId }, select: { id: true, mfaPolicy: true } });
    if (!org) throw notFound();
    return isMfaPolicy(org.mfaPolicy) ? org.mfaPolicy : DEFAULT_MFA_POLICY;
  }

  /** Stores the policy and audits a change (before and after), in one transaction on the locked row. */
  async update(caller: SessionSnapshot, organizationId: string, required: MfaPolicy, client: ClientContext): Promise<MfaPolicy> {
    await this.organizations.manager.transaction(async (manager) => {
      const repo = manager.getRepository(Organization);
      const org = await repo.findOne({ where: { id: organizationId }, select: { id: true, mfaPolicy: true }, lock: { mode: 'pessimistic_write' } });
      if (!org) throw notFound();
      if (org.mfaPolicy === required) return;
      await repo.update({ id: organizationId }, { mfaPolicy: required });
      await this.audit.record(
        {
          type: MFA_POLICY_UPDATED_EVENT,
          organizationId,
          actorUserId: caller.userId,
          sessionId: caller.sessionId,
          client,
          details: { changes: { required: { before: org.mfaPolicy, after: required } } },
        },
        manager,
      );
    });
    return required;
  }
}

const notFound = () => apiError(ApiErrorCode.NOT_FOUND, 'Organization not found.');
