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
  | 'impersonation.ended';

@Injectable()
export class SecurityEvents {
  private readonly logger = new Logger('Security');

  record(event: SecurityEventName, requestId: string, fields: Record<string, unknown> = {}, level: 'info' | 'warn' = 'warn'): void {
    const line = { event, req: { id: requestId }, ...fields };
    if (level === 'info') this.logger.log(line, event);
    else this.logger.warn(line, event);
  }
}
