import type { MigrationCandidate, WorkosAccountsService } from '../../../identity/users/workos-accounts.service';
import { IdentityProvider, ProviderUserRecord } from '../identity-provider';
import { EmailNotAvailable, IdentityProviderUnavailable } from '../identity-provider.errors';

/**
 * - created: imported now;
 * - linked: WorkOS already had our import from an interrupted run (same external_id);
 * - confirmed: the user was already linked (an interrupted run, or SSO), WorkOS got the current hash;
 * - skipped: nothing to do (inactive, no local password, migrated meanwhile);
 * - failed: left as it was, with its local hash; a rerun picks it up.
 */
export type MigrationOutcome = 'created' | 'linked' | 'confirmed' | 'skipped' | 'failed';
export type PlannedOutcome = 'import' | 'confirm' | 'skip';

export interface UserMigrationResult {
  userId: string;
  email: string;
  outcome: MigrationOutcome;
  workosUserId?: string;
  detail?: string;
}

export interface MigrationReport {
  total: number;
  processed: number;
  created: number;
  linked: number;
  confirmed: number;
  skipped: number;
  failed: number;
  /** Why the run stopped early (WorkOS down or refusing our key), or null. */
  aborted: string | null;
}

export interface DryRunReport {
  total: number;
  plan: { userId: string; email: string; planned: PlannedOutcome; detail?: string }[];
}

export interface MigratorOptions {
  now: () => Date;
  sleep?: (ms: number) => Promise<void>;
  /** How often one call may wait out a 429 before the user counts as failed. */
  maxRateLimitWaits?: number;
  /** The longest Retry-After honoured; longer ones are shortened to this. */
  maxRetryAfterSeconds?: number;
  /** Retries of a call that met a 5xx, a timeout or a network error (backoff 0.5 s, 1 s, 2 s…). */
  transientRetries?: number;
  onWait?: (seconds: number, why: string) => void;
}

export interface RunOptions {
  organizationIds: string[];
  concurrency: number;
  onResult?: (result: UserMigrationResult, done: number, total: number) => void;
}

/** Without a Retry-After, wait this long after a 429. */
const DEFAULT_RATE_LIMIT_WAIT_SECONDS = 1;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

class MigrationStepFailed extends Error {}

/**
 * Moves local users' bcrypt hashes to WorkOS, one way and in an order that is
 * safe to interrupt anywhere:
 *
 *   1. createUser (external_id = our user id, emailVerified) — or, on a rerun, find
 *      what an interrupted run already created;
 *   2. store the WorkOS user id locally (hash still kept: password logins stay local);
 *   3. read the user back from WorkOS (the confirmation);
 *   4. set migratedAt and clear the local hash in one conditional UPDATE that
 *      requires the hash WorkOS holds to be the one being cleared.
 *
 * A crash before 2 leaves a WorkOS user a rerun finds by email and external_id; a
 * crash between 2 and 4 leaves a linked, unmigrated user a rerun confirms (or
 * re-imports if WorkOS lost it). No step ever leaves a user without credentials.
 */
export class WorkosMigrator {
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly maxRateLimitWaits: number;
  private readonly maxRetryAfterSeconds: number;
  private readonly transientRetries: number;

  constructor(
    private readonly accounts: WorkosAccountsService,
    private readonly provider: IdentityProvider,
    private readonly options: MigratorOptions,
  ) {
    this.sleep = options.sleep ?? realSleep;
    this.maxRateLimitWaits = options.maxRateLimitWaits ?? 5;
    this.maxRetryAfterSeconds = options.maxRetryAfterSeconds ?? 60;
    this.transientRetries = options.transientRetries ?? 2;
  }

  /** What a run would do, without a single write here or at WorkOS (and without calling WorkOS at all). */
  async plan(organizationIds: string[]): Promise<DryRunReport> {
    const users = await this.accounts.migrationCandidates(organizationIds);
    return {
      total: users.length,
      plan: users.map((u) => {
        const skip = this.skipReason(u);
        if (skip) return { userId: u.id, email: u.email, planned: 'skip' as const, detail: skip };
        if (u.workosUserId) return { userId: u.id, email: u.email, planned: 'confirm' as const, detail: `linked to ${u.workosUserId}` };
        return { userId: u.id, email: u.email, planned: 'import' as const };
      }),
    };
  }

  async run(options: RunOptions): Promise<MigrationReport> {
    const users = await this.accounts.migrationCandidates(options.organizationIds);
    const report: MigrationReport = { total: users.length, processed: 0, created: 0, linked: 0, confirmed: 0, skipped: 0, failed: 0, aborted: null };
    // Stop when WorkOS is plainly down, rather than failing every remaining user one by one.
    const abortAfter = Math.max(3, options.concurrency);
    let consecutiveOutages = 0;
    let next = 0;
    const worker = async () => {
      while (report.aborted === null && next < users.length) {
        const user = users[next++];
        const { result, outage } = await this.migrateCaught(user.id, user.email);
        report.processed++;
        report[result.outcome]++;
        consecutiveOutages = outage ? consecutiveOutages + 1 : 0;
        if (outage === 'fatal') report.aborted ??= `WorkOS refused the request (${result.detail}); check WORKOS_API_KEY and WORKOS_CLIENT_ID`;
        else if (consecutiveOutages >= abortAfter) report.aborted ??= `WorkOS unavailable for ${consecutiveOutages} users in a row (${result.detail})`;
        options.onResult?.(result, report.processed, report.total);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, users.length)) }, worker));
    return report;
  }

  /** One user, start to finish. Used by the run and by lazy migration after a local login. */
  async migrateUser(userId: string): Promise<UserMigrationResult> {
    const user = await this.accounts.findCandidate(userId);
    if (!user) return { userId, email: '', outcome: 'skipped', detail: 'no such user' };
    const base = { userId, email: user.email };
    const skip = user.migratedAt ? 'already migrated' : this.skipReason(user);
    if (skip) return { ...base, outcome: 'skipped', detail: skip };
    const hash = user.passwordHash as string;
    try {
      if (user.workosUserId) {
        const resumed = await this.resume(user, user.workosUserId, hash);
        if (resumed) return { ...base, outcome: 'confirmed', workosUserId: resumed };
      }
      const { record, outcome } = await this.importOrFind(user, hash);
      if (!(await this.accounts.linkIfUnlinked(user.id, record.id))) throw new MigrationStepFailed('changed while being migrated; rerun');
      // An interrupted run's copy may hold an older hash (the password changed since).
      if (outcome === 'linked') await this.sendHash(record.id, hash, undefined);
      const confirmed = await this.withRetries(() => this.provider.getUser(record.id));
      if (!confirmed || confirmed.externalId !== user.id) throw new MigrationStepFailed('WorkOS did not confirm the import; rerun');
      await this.finish(user, record.id, hash);
      return { ...base, outcome, workosUserId: record.id };
    } catch (err) {
      if (err instanceof MigrationStepFailed) return { ...base, outcome: 'failed', detail: err.message };
      throw err;
    }
  }

  private async migrateCaught(userId: string, email: string): Promise<{ result: UserMigrationResult; outage: 'fatal' | 'transient' | null }> {
    try {
      return { result: await this.migrateUser(userId), outage: null };
    } catch (err) {
      const detail = err instanceof IdentityProviderUnavailable ? `WorkOS unavailable: ${err.reason}` : err instanceof Error ? err.message : String(err);
      const outage = err instanceof IdentityProviderUnavailable ? (err.retryable ? 'transient' : 'fatal') : null;
      return { result: { userId, email, outcome: 'failed', detail }, outage };
    }
  }

  private skipReason(user: MigrationCandidate): string | null {
    if (!user.passwordHash) return 'no local password';
    // A deactivated account is not handed to WorkOS, where it could sign in to other applications.
    if (!user.active) return 'inactive';
    return null;
  }

  /** The WorkOS user id when the linked user is confirmed; null when WorkOS lost it (we unlinked, import afresh). */
  private async resume(user: MigrationCandidate, workosUserId: string, hash: string): Promise<string | null> {
    const existing = await this.withRetries(() => this.provider.getUser(workosUserId));
    if (!existing) {
      await this.accounts.unlink(user.id, workosUserId);
      return null;
    }
    if (existing.externalId !== null && existing.externalId !== user.id) {
      throw new MigrationStepFailed(`linked WorkOS user ${workosUserId} carries another external_id; resolve it in WorkOS`);
    }
    // WorkOS may hold an older hash (interrupted run) or none at all (a user linked by SSO).
    const updated = await this.sendHash(workosUserId, hash, existing.externalId === null ? user.id : undefined);
    if (!updated) {
      await this.accounts.unlink(user.id, workosUserId);
      return null;
    }
    await this.finish(user, workosUserId, hash);
    return workosUserId;
  }

  private async importOrFind(user: MigrationCandidate, hash: string): Promise<{ record: ProviderUserRecord; outcome: 'created' | 'linked' }> {
    try {
      const record = await this.withRetries(() =>
        this.provider.importUser({ email: user.email, passwordHash: hash, firstName: user.firstName, lastName: user.lastName, externalId: user.id }),
      );
      return { record, outcome: 'created' };
    } catch (err) {
      if (!(err instanceof EmailNotAvailable)) throw err;
    }
    // Only our own earlier import (external_id = our id) is taken over; anyone else's account with this email is not.
    const existing = await this.withRetries(() => this.provider.findUsersByEmail(user.email));
    const ours = existing.find((u) => u.externalId === user.id);
    if (!ours) throw new MigrationStepFailed('WorkOS already has this email for another account; resolve it in WorkOS, then rerun');
    return { record: ours, outcome: 'linked' };
  }

  private sendHash(workosUserId: string, hash: string, externalId: string | undefined) {
    return this.withRetries(() => this.provider.setPasswordHash(workosUserId, { passwordHash: hash, externalId }));
  }

  private async finish(user: MigrationCandidate, workosUserId: string, hash: string): Promise<void> {
    if (!(await this.accounts.markMigrated(user.id, workosUserId, hash, this.options.now()))) {
      throw new MigrationStepFailed('changed while being migrated (new password?); rerun');
    }
  }

  private async withRetries<T>(run: () => Promise<T>): Promise<T> {
    let waits = 0;
    let transient = 0;
    for (;;) {
      try {
        return await run();
      } catch (err) {
        if (!(err instanceof IdentityProviderUnavailable) || !err.retryable) throw err;
        if (err.reason === 'rate_limited') {
          if (waits++ >= this.maxRateLimitWaits) throw err;
          const seconds = Math.min(err.retryAfterSeconds ?? DEFAULT_RATE_LIMIT_WAIT_SECONDS, this.maxRetryAfterSeconds);
          this.options.onWait?.(seconds, err.retryAfterSeconds === null ? 'rate limited by WorkOS' : 'rate limited by WorkOS (Retry-After)');
          await this.sleep(seconds * 1000);
          continue;
        }
        if (transient >= this.transientRetries) throw err;
        await this.sleep(500 * 2 ** transient++);
      }
    }
  }
}
