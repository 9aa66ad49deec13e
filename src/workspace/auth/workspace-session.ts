import type { SessionSnapshot } from '../../sessions/session-snapshot';

/** A live workspace session, as the workspace bearer guard found it. */
export interface WorkspaceSession {
  snapshot: SessionSnapshot & { workspaceId: string };
  /** The token's `wsp` claim. */
  workspaceSlug: string;
}
