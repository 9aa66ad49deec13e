import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SessionsModule } from '../sessions/sessions.module';
import { AuditModule } from '../audit/audit.module';
import { UsersModule } from '../identity/users/users.module';
import { ThrottleModule } from '../throttle/throttle.module';
import { MfaModule } from '../mfa/mfa.module';
import { ImpersonationController } from './impersonation.controller';
import { ImpersonationEndings } from './impersonation-endings.service';
import { ImpersonationEvents } from './impersonation-events.service';
import { ImpersonationIssuer } from './impersonation-issuer.service';
import { ImpersonationRedeemer } from './impersonation-redeemer.service';
import { ImpersonationTicket } from './impersonation-ticket.entity';
import { ImpersonationTokens } from './impersonation-token.service';
import { ImpersonationRepository } from './impersonation.repository';

/**
 * Audited, single-use admin impersonation. Depends on sessions, users and the
 * audit trail and MFA (step-up), never on AuthModule: AuthModule imports this one to redeem
 * tokens at login.
 */
@Module({
  imports: [TypeOrmModule.forFeature([ImpersonationTicket]), SessionsModule, UsersModule, AuditModule, ThrottleModule, MfaModule],
  controllers: [ImpersonationController],
  providers: [ImpersonationRepository, ImpersonationTokens, ImpersonationIssuer, ImpersonationRedeemer, ImpersonationEndings, ImpersonationEvents],
  exports: [ImpersonationRedeemer],
})
export class ImpersonationModule {}
