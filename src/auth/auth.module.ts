import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { ImpersonationModule } from '../impersonation/impersonation.module';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { CredentialsService } from './credentials/credentials.service';
import { JwtAuthGuard } from './guards/jwt-auth.guard';
import { IdentityProvider } from './identity-provider/identity-provider';
import { UnconfiguredIdentityProvider } from './identity-provider/unconfigured-identity-provider';
import { PasswordHasher } from './passwords/password-hasher.service';
import { SessionsModule } from './sessions/sessions.module';
import { JwtStrategy } from './strategies/jwt.strategy';
import { LocalStrategy } from './strategies/local.strategy';

@Module({
  imports: [PassportModule, UsersModule, SessionsModule, ImpersonationModule],
  controllers: [AuthController],
  providers: [
    AuthService,
    PasswordHasher,
    CredentialsService,
    LocalStrategy,
    JwtStrategy,
    {
      provide: IdentityProvider,
      inject: [APP_CONFIG],
      useFactory: (_config: AppConfig): IdentityProvider => new UnconfiguredIdentityProvider(),
    },
    { provide: APP_GUARD, useClass: JwtAuthGuard },
  ],
  exports: [PasswordHasher, CredentialsService, IdentityProvider, SessionsModule],
})
export class AuthModule {}
