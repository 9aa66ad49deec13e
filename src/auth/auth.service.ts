import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import type { ClientContext } from '../common/http/client-context';
import type { User } from '../users/user.entity';
import { toUserPayload } from '../users/user-payload';
import { MeResponseDto } from './dto/login-response.dto';
import { RefreshService } from './sessions/refresh.service';
import { SessionEndReason, SessionMethod } from './sessions/session.entity';
import { LoginResult, SessionIssuer } from './sessions/session-issuer.service';
import { SessionSnapshot } from './sessions/session-snapshot';
import { SessionsService } from './sessions/sessions.service';

@Injectable()
export class AuthService {
  constructor(
    private readonly issuer: SessionIssuer,
    private readonly refresher: RefreshService,
    private readonly sessions: SessionsService,
    private readonly clock: Clock,
  ) {}

  /** The password was verified by the local strategy: open a password session. */
  passwordLogin(user: User, client: ClientContext): Promise<LoginResult> {
    return this.issuer.login({ user, method: SessionMethod.Password, client });
  }

  async refresh(refreshToken: string): Promise<LoginResult> {
    const rotation = await this.refresher.rotate(refreshToken);
    return this.issuer.renew(rotation.snapshot, rotation.refreshToken);
  }

  async logout(session: SessionSnapshot): Promise<void> {
    await this.sessions.end(session.sessionId, SessionEndReason.Logout, this.clock.now());
  }

  me(session: SessionSnapshot): MeResponseDto {
    return {
      user: toUserPayload(session.user),
      sessionConfig: session.policy,
      session: this.issuer.describe(
        session.sessionId,
        session.method,
        session.createdAtMs,
        session.expiresAtMs,
        this.clock.nowMs(),
        session.policy,
      ),
      impersonator: session.impersonator,
    };
  }
}
