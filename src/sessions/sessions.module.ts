import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AccessTokenService } from '../tokens/access-token.service';
import { SigningKeys } from '../tokens/signing-keys.service';
import { AccessGuard } from './access/access.guard';
import { BearerAuthenticator } from './access/bearer-authenticator.service';
import { RefreshService } from './refresh.service';
import { SessionIssuer } from './session-issuer.service';
import { SessionLivenessService } from './session-liveness.service';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';

/**
 * Sessions and the tokens that stand for them. Its own module so that every way
 * of signing in (password, SSO, impersonation, workspace) opens sessions the
 * same way without depending on each other.
 */
@Module({
  imports: [JwtModule.register({})],
  providers: [
    SigningKeys,
    AccessTokenService,
    SessionsRepository,
    SessionsService,
    SessionLivenessService,
    RefreshService,
    SessionIssuer,
    BearerAuthenticator,
    // The one guard: every route of every module passes it (deny by default, @Public() opens).
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [SigningKeys, AccessTokenService, SessionsService, SessionLivenessService, RefreshService, SessionIssuer, JwtModule],
})
export class SessionsModule {}
