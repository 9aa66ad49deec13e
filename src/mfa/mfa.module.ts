import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { SessionsModule } from '../sessions/sessions.module';
import { APP_CONFIG, AppConfig } from '../platform/config/app-config';
import { Organization } from '../identity/organizations/organization.entity';
import { PrunerService } from '../platform/retention/pruner.service';
import { ThrottleModule } from '../throttle/throttle.module';
import { SecretBox } from './crypto/secret-box';
import { MfaChallenges } from './mfa-challenges.service';
import { MfaPolicyController } from './mfa-policy.controller';
import { MfaPolicies } from './mfa-policy.service';
import { MfaSettings } from './mfa-settings.service';
import { MfaController } from './mfa.controller';
import { MfaRepository } from './mfa.repository';
import { StepUp } from './step-up.service';
import { TotpFactors } from './totp-factors.service';

/** TOTP factors, recovery codes, the organization's MFA policy, second-step tokens and step-up. */
@Module({
  imports: [TypeOrmModule.forFeature([Organization]), AuditModule, ThrottleModule, SessionsModule],
  controllers: [MfaController, MfaPolicyController],
  providers: [
    MfaRepository,
    { provide: SecretBox, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new SecretBox(Buffer.from(config.mfa.encryptionKey, 'base64')) },
    TotpFactors,
    MfaPolicies,
    MfaChallenges,
    MfaSettings,
    StepUp,
  ],
  exports: [TotpFactors, MfaPolicies, MfaChallenges, MfaSettings, StepUp],
})
export class MfaModule {
  /** Second-step tokens are single use and live 5 minutes: gone after TOKEN_RETENTION_DAYS (the index on expires_at serves the pruner). */
  constructor(pruner: PrunerService) {
    pruner.register({ table: 'mfa_login_challenges', key: 'id', where: 'expires_at < $1', retention: 'tokens' });
  }
}
