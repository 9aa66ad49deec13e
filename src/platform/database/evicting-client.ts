import { Client } from 'pg';
import { isDatabaseUnavailable } from '../errors/database-unavailable';

/**
 * A pg client that takes itself out of the pool once its connection is dead.
 *
 * When a query gets no answer within `query_timeout` (a database behind a lost NAT
 * entry, a failover without a reset: TCP up, no bytes), pg fails the query but keeps the
 * connection; raw `pool.query` then discards it, but TypeORM hands it back to the pool
 * as healthy, which lends it out again and again: logins and readiness stayed down for
 * 63 s to over 150 s after the network was back. Destroying the
 * socket makes pg report the connection as ended, so TypeORM releases it with the error
 * and the pool replaces it (test/faults/database-blackhole.e2e.ts).
 */
export class EvictingClient extends Client {
  constructor(config?: ConstructorParameters<typeof Client>[0]) {
    super(config);
    const query = this.query.bind(this) as (...args: unknown[]) => unknown;
    (this as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const result = query(...args);
      if (result instanceof Promise) {
        return result.catch((err: unknown) => {
          if (isDatabaseUnavailable(err)) this.evict();
          throw err;
        });
      }
      return result;
    };
  }

  private evict(): void {
    (this.connection as unknown as { stream?: { destroy(): void } }).stream?.destroy();
  }
}
