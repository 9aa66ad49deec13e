import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TokensModule } from '../tokens/tokens.module';
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
  imports: [TokensModule],
  providers: [
    SessionsRepository,
    SessionsService,
    SessionLivenessService,
    RefreshService,
    SessionIssuer,
    BearerAuthenticator,
    // The one guard: every route of every module passes it (deny by default, @Public() opens).
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [TokensModule, SessionsService, SessionLivenessService, RefreshService, SessionIssuer],
})
export class SessionsModule {}
