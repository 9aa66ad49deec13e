import { Injectable } from '@nestjs/common';
import { CredentialsService } from '../auth/credentials/credentials.service';
import { SessionEndReason, SessionMethod } from '../sessions/session.entity';
import { SessionsService } from '../sessions/sessions.service';
import { AccessTokenService } from '../tokens/access-token.service';
import { Clock } from '../platform/clock';
import { ApiErrorCode } from '../platform/errors/api-error-code';
import { apiError } from '../platform/errors/api.exception';
import type { ClientContext } from '../platform/http/client-context';
import { AppConfig, InjectConfig } from '../platform/config/app-config';
import { resolveSessionPolicy } from '../identity/organizations/session-policy';
import { tokenLifetimeSeconds } from '../sessions/policy/session-rules';
import type { User } from '../identity/users/user.entity';
import { UsersService } from '../identity/users/users.service';
import type { WorkspaceSession } from './auth/workspace-session';
import type { WorkspaceAuthResponseDto, WorkspaceUserContextDto } from './dto/workspace-auth.response';
import type { WorkspaceLoginCommand } from './envelope/workspace-login.pipe';
import { WorkspaceAnswer } from './envelope/workspace-message';
import { WorkspaceAccessService } from './workspace-access.service';
import { buildWorkspaceContext } from './workspace-context';

/** The workspace login API: who the user is, which workspace, and the session that proves it. */
@Injectable()
export class WorkspaceAuthService {
  constructor(
    private readonly users: UsersService,
    private readonly credentials: CredentialsService,
    private readonly access: WorkspaceAccessService,
    private readonly sessions: SessionsService,
    private readonly accessTokens: AccessTokenService,
    private readonly clock: Clock,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async login(command: WorkspaceLoginCommand, client: ClientContext): Promise<WorkspaceAnswer<WorkspaceAuthResponseDto>> {
    const candidate = await this.findUser(command.userNameOrEmail);
    const user = await this.credentials.verify(command.userNameOrEmail, candidate, command.password, client);
    // Only now, with the password proven, may the answer say anything about workspaces.
    const { workspace, membership } = await this.access.resolve(user, command.workspaceSlug);
    const context = buildWorkspaceContext(user, workspace, membership);

    const now = this.clock.now();
    const lifetimeSeconds = tokenLifetimeSeconds(resolveSessionPolicy(user.organization?.sessionPolicy));
    // No refresh token: the session cannot outlive its one access token.
    const opened = await this.sessions.open({
      userId: user.id,
      organizationId: user.organizationId,
      method: SessionMethod.Password,
      client,
      now,
      lifetimeMs: Math.min(this.config.sessionAbsoluteHours * 3_600_000, lifetimeSeconds * 1000),
      workspaceId: workspace.id,
      withRefreshToken: false,
    });
    const AccessToken = this.accessTokens.sign({
      userId: user.id,
      sessionId: opened.sessionId,
      organizationId: user.organizationId,
      role: user.accessRole,
      workspace: workspace.slug,
      issuedAt: now,
      lifetimeSeconds,
    });
    return new WorkspaceAnswer({ AccessToken, ...context.data }, context.warnings);
  }

  /** The session's workspace context as it is now (roles or settings may have changed since login). */
  async me(session: WorkspaceSession): Promise<WorkspaceAnswer<WorkspaceUserContextDto>> {
    const user = await this.users.findById(session.snapshot.userId);
    if (!user) throw apiError(ApiErrorCode.SESSION_REVOKED);
    const { workspace, membership } = await this.access.forSession(user, session.snapshot.workspaceId);
    // A renamed workspace invalidates tokens naming the old slug: the claim must stay true.
    if (workspace.slug !== session.workspaceSlug) throw apiError(ApiErrorCode.TOKEN_INVALID);
    const context = buildWorkspaceContext(user, workspace, membership);
    return new WorkspaceAnswer(context.data, context.warnings);
  }

  async logout(session: WorkspaceSession): Promise<WorkspaceAnswer<null>> {
    await this.sessions.end(session.snapshot.sessionId, SessionEndReason.Logout, this.clock.now());
    return new WorkspaceAnswer(null);
  }

  /** A user name never contains `@`, so an identifier with one can only ever be an email. */
  private findUser(identifier: string): Promise<User | null> {
    return identifier.includes('@') ? this.users.findByEmail(identifier) : this.users.findByUserName(identifier);
  }
}
