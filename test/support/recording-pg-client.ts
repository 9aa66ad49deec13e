import { EvictingClient } from '../../src/platform/database/evicting-client';
import { PG_CLIENT, PgClientClass } from '../../src/platform/database/pg-client';
import type { ProviderOverride } from './test-app';

/**
 * The app's own pg client class, noting the text of every statement it sends into
 * `statements`, in order: given to the app as an override of PG_CLIENT.
 */
export function recordStatements(statements: string[]): ProviderOverride {
  class RecordingClient extends EvictingClient {
    override query(...args: any[]): any {
      const first = args[0] as string | { text: string };
      statements.push(typeof first === 'string' ? first : first.text);
      return (super.query as (...a: unknown[]) => unknown)(...args);
    }
  }
  return { provide: PG_CLIENT, useValue: RecordingClient satisfies PgClientClass };
}
