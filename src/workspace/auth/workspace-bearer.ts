import { applyDecorators, createParamDecorator, ExecutionContext, Injectable, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { ApiBearerAuth } from '@nestjs/swagger';
import { ApiErrorCode } from '../../platform/errors/api-error-code';
import { apiError } from '../../platform/errors/api.exception';
import { Public } from '../../platform/http/public.decorator';
import type { WorkspaceSession } from './workspace-session';

@Injectable()
export class WorkspaceJwtGuard extends AuthGuard('workspace-jwt') {
  override handleRequest<T>(err: unknown, user: T, info: unknown): T {
    if (err instanceof Error) throw err;
    if (err) throw apiError(ApiErrorCode.TOKEN_INVALID);
    if (!user) {
      const expired = info instanceof Error && info.name === 'TokenExpiredError';
      throw apiError(expired ? ApiErrorCode.TOKEN_EXPIRED : ApiErrorCode.TOKEN_INVALID);
    }
    return user;
  }
}

/**
 * A route for workspace tokens only. The global guard knows access tokens alone,
 * so it stands aside (`@Public`) and this guard authenticates instead: still
 * deny by default, with the workspace audience.
 */
export const WorkspaceBearer = () => applyDecorators(Public(), UseGuards(WorkspaceJwtGuard), ApiBearerAuth());

export const CurrentWorkspaceSession = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): WorkspaceSession => ctx.switchToHttp().getRequest<{ user: WorkspaceSession }>().user,
);
