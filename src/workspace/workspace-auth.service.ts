import { Injectable } from '@nestjs/common';
import { CredentialsService } from '../auth/credentials/credentials.service';
import { MfaPolicies } from '../mfa/mfa-policy.service';
import { TotpFactors } from '../mfa/totp-factors.service';
import { SessionEndReason } from '../sessions/session.entity';
import { SessionIssuer } from '../sessions/session-issuer.service';
import { SessionsService } from '../sessions/sessions.service';
import { ApiErrorCode } from '../platform/errors/api-error-code';
import { apiError } from '../platform/errors/api.exception';
import type { ClientContext } from '../platform/http/client-context';
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
    private readonly issuer: SessionIssuer,
    private readonly factors: TotpFactors,
    private readonly mfaPolicies: MfaPolicies,
  ) {}

  async login(command: WorkspaceLoginCommand, client: ClientContext): Promise<WorkspaceAnswer<WorkspaceAuthResponseDto>> {
    const candidate = await this.findUser(command.userNameOrEmail);
    const user = await this.credentials.verify(command.userNameOrEmail, candidate, command.password, client, 'workspace');
    await this.refuseWithoutSecondFactor(user);
    // Only now, with the password proven, may the answer say anything about workspaces.
    const { workspace, membership } = await this.access.resolve(user, command.workspaceSlug);
    const context = buildWorkspaceContext(user, workspace, membership);

    const AccessToken = await this.issuer.loginToWorkspace({ user, client, workspace });
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

  async logout(session: WorkspaceSession, client: ClientContext): Promise<WorkspaceAnswer<null>> {
    const { sessionId, userId } = session.snapshot;
    await this.sessions.end(sessionId, SessionEndReason.Logout, { actorUserId: userId, client, endedBy: 'self' });
    return new WorkspaceAnswer(null);
  }

  /**
   * The workspace API has no second step: a user with a factor, or one the MFA policy
   * requires to have one, signs in through POST /api/auth/login (400 `MfaRequired` in the
   * envelope). Otherwise a password alone would open a session the account's second
   * factor is meant to guard. Checked after the password and before any workspace is named.
   */
  private async refuseWithoutSecondFactor(user: User): Promise<void> {
    if ((await this.factors.isActive(user.id)) || (await this.mfaPolicies.requires(user))) {
      throw apiError(ApiErrorCode.MFA_REQUIRED, 'This account needs a second factor: sign in through POST /api/auth/login.');
    }
  }

  /** A user name never contains `@`, so an identifier with one can only ever be an email. */
  private findUser(identifier: string): Promise<User | null> {
    return identifier.includes('@') ? this.users.findByEmail(identifier) : this.users.findByUserName(identifier);
  }
}
