import { Injectable, Logger, BeforeApplicationShutdown } from '@nestjs/common';
import { Clock } from '../../../platform/clock';
import { WorkosAccountsService } from '../../../identity/users/workos-accounts.service';
import type { User } from '../../../identity/users/user.entity';
import { IdentityProvider } from '../identity-provider';
import { WorkosMigrator } from './workos-migrator';

/**
 * Per-organization lazy migration (Organization.lazyWorkosMigration): after a
 * successful local password login, that user is imported into WorkOS in the
 * background. The login never waits for it and never fails because of it; an
 * import that does not finish is simply tried again at the next login (or by
 * `npm run workos:migrate`), since every step of the migrator is resumable.
 */
@Injectable()
export class LazyWorkosMigration implements BeforeApplicationShutdown {
  private readonly logger = new Logger(LazyWorkosMigration.name);
  private readonly migrator: WorkosMigrator;
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(
    accounts: WorkosAccountsService,
    private readonly provider: IdentityProvider,
    clock: Clock,
  ) {
    // No waiting in the background: a 429 or an outage ends this attempt, the next login retries.
    this.migrator = new WorkosMigrator(accounts, provider, {
      now: () => clock.now(),
      maxRateLimitWaits: 0,
      transientRetries: 0,
    });
  }

  /** Called after a successful local login; returns at once. */
  afterLocalLogin(user: Pick<User, 'id' | 'migratedAt' | 'passwordHash'> & { organization?: { lazyWorkosMigration: boolean } | null }): void {
    if (!this.provider.configured || !user.organization?.lazyWorkosMigration) return;
    if (user.migratedAt !== null || user.passwordHash === null || this.inFlight.has(user.id)) return;
    const task = this.migrator
      .migrateUser(user.id)
      .then((result) => {
        if (result.outcome === 'failed') this.logger.warn(`lazy WorkOS import of user ${user.id} failed: ${result.detail}`);
        else this.logger.log(`lazy WorkOS import of user ${user.id}: ${result.outcome}`);
      })
      .catch((err: unknown) => {
        this.logger.warn(`lazy WorkOS import of user ${user.id} deferred: ${err instanceof Error ? err.message : String(err)}`);
      })
      .finally(() => this.inFlight.delete(user.id));
    this.inFlight.set(user.id, task);
  }

  /** Lets running imports finish their database writes before the pool closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.inFlight.values()]);
  }
}
