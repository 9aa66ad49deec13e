import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { SessionsModule } from '../sessions/sessions.module';
import { Organization } from '../identity/organizations/organization.entity';
import { SessionPolicyController } from './session-policy.controller';
import { SessionPolicyService } from './session-policy.service';

/**
 * Per-organization session policy: resolution (`resolveSessionPolicy`), the
 * server-side rules (`session-rules.ts`, applied by the sessions module on every
 * bearer request and refresh) and the admin API (GET/PUT /api/organizations/{orgId}/session-policy).
 */
@Module({
  imports: [TypeOrmModule.forFeature([Organization]), AuditModule, SessionsModule],
  controllers: [SessionPolicyController],
  providers: [SessionPolicyService],
})
export class SessionPolicyModule {}
