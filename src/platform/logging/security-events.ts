import { Injectable, Logger } from '@nestjs/common';

/**
 * The security events an operator alerts on. Each becomes one structured log
 * line `{ "event": "<name>", "req": { "id": … }, …fields }` carrying the id of
 * the request that caused it, handed in by the caller (a request context in
 * AsyncLocalStorage would slow down every promise of every request: see
 * docs/performance.md). Fields never hold a
 * password, a token or an email address: accounts appear as their throttle key.
 */
export type SecurityEventName =
  | 'login.failed'
  | 'login.throttled'
  | 'refresh.reuse_detected'
  | 'impersonation.issued'
  | 'impersonation.redeemed'
  | 'impersonation.rejected'
  | 'impersonation.ended'
  /** An SSO callback with a state started in another browser: a login CSRF attempt, or a stale tab. */
  | 'sso.browser_mismatch';

/**
 * The client's own X-Request-Id of each request in flight whose id is ours (the client is
 * no trusted proxy), by our id: set and removed by app.factory.ts's hooks, read by
 * `record` so each event keeps the client's correlation id as a field of its own.
 */
const clientRequestIds = new Map<string, string>();

export const noteClientRequestId = (requestId: string, clientRequestId: string): void => void clientRequestIds.set(requestId, clientRequestId);
export const forgetClientRequestId = (requestId: string): void => void clientRequestIds.delete(requestId);

@Injectable()
export class SecurityEvents {
  private readonly logger = new Logger('Security');

  record(event: SecurityEventName, requestId: string, fields: Record<string, unknown> = {}, level: 'info' | 'warn' = 'warn'): void {
    const clientRequestId = clientRequestIds.get(requestId);
    const line = { event, req: { id: requestId }, ...(clientRequestId === undefined ? {} : { clientRequestId }), ...fields };
    if (level === 'info') this.logger.log(line, event);
    else this.logger.warn(line, event);
  }
}
