import { MetricsService } from '../platform/metrics/metrics.service';
import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConsumedNonce } from './sso/consumed-nonce.entity';
import { AppConfig, APP_CONFIG } from '../platform/config/app-config';
import { ImpersonationModule } from '../impersonation/impersonation.module';
import { Organization } from '../identity/organizations/organization.entity';
import { ThrottleModule } from '../throttle/throttle.module';
import { UsersModule } from '../identity/users/users.module';
import { AuditModule } from '../audit/audit.module';
import { MfaModule } from '../mfa/mfa.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { CredentialsService } from './credentials/credentials.service';
import { IdentityProvider } from './identity-provider/identity-provider';
import { createIdentityProvider } from './identity-provider/identity-provider.factory';
import { LazyWorkosMigration } from './identity-provider/migration/lazy-workos-migration.service';
import { BCRYPT, nativeBcrypt } from './passwords/bcrypt-binding';
import { PasswordHasher } from './passwords/password-hasher.service';
import { SessionsModule } from '../sessions/sessions.module';
import { SsoController } from './sso/sso.controller';
import { SsoService } from './sso/sso.service';
import { SsoStateService } from './sso/sso-state.service';
import { SsoUserResolver } from './sso/sso-user-resolver';
import { SecondStepController } from './second-step/second-step.controller';
import { SecondStep } from './second-step/second-step.service';
import { LocalStrategy } from './strategies/local.strategy';
import { RefreshCookie } from './refresh-cookie/refresh-cookie';
import { RefreshCookieGuard } from './refresh-cookie/refresh-cookie.guard';

@Module({
  imports: [PassportModule, UsersModule, SessionsModule, ImpersonationModule, ThrottleModule, AuditModule, MfaModule, TypeOrmModule.forFeature([Organization, ConsumedNonce])],
  controllers: [AuthController, SecondStepController, SsoController],
  providers: [
    AuthService,
    { provide: BCRYPT, useValue: nativeBcrypt },
    PasswordHasher,
    CredentialsService,
    SecondStep,
    LocalStrategy,
    {
      provide: IdentityProvider,
      inject: [APP_CONFIG, MetricsService],
      useFactory: (config: AppConfig, metrics: MetricsService): IdentityProvider => createIdentityProvider(config.workos, { metrics }),
    },
    LazyWorkosMigration,
    SsoStateService,
    SsoUserResolver,
    SsoService,
    RefreshCookie,
    RefreshCookieGuard,
  ],
  exports: [PasswordHasher, CredentialsService, IdentityProvider, SessionsModule],
})
export class AuthModule {}
