import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { BearerPrincipal } from '../../sessions/current-session.decorator';
import { Authenticated } from '../../sessions/access/authenticated.decorator';
import type { WorkspaceSession } from './workspace-session';

/** A route for workspace tokens only (the workspace audience; an /api/auth access token is refused here). */
export const WorkspaceBearer = () => Authenticated({ audience: 'workspace' });

export const CurrentWorkspaceSession = createParamDecorator((_: unknown, ctx: ExecutionContext): WorkspaceSession => {
  const { session, workspaceSlug } = ctx.switchToHttp().getRequest<{ user: BearerPrincipal }>().user;
  // The guard admits a workspace token only for a session the workspace login opened, with a `wsp` claim.
  return { snapshot: { ...session, workspaceId: session.workspaceId as string }, workspaceSlug: workspaceSlug as string };
});
