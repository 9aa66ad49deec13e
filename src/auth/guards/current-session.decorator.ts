import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { SessionSnapshot } from '../sessions/session-snapshot';

/** The live session behind the bearer token (set by the JWT strategy). */
export const CurrentSession = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): SessionSnapshot => ctx.switchToHttp().getRequest<{ user: SessionSnapshot }>().user,
);
