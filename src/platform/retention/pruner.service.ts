import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig, InjectConfig } from '../config/app-config';
import { Clock } from '../clock';
import { MetricsService } from '../metrics/metrics.service';
import { CORE_RETENTION_RULES, DEFAULT_RETENTION, RetentionRule, RetentionSettings } from './retention-rule';

/** The advisory lock that keeps pruning to one instance at a time (any 64-bit constant of our own). */
export const PRUNE_LOCK_KEY = 7_305_118_824_001;
const DAY_MS = 86_400_000;

export interface PruneReport {
  /** false: another instance was pruning (it held the lock), nothing was deleted here. */
  ran: boolean;
  /** Rows deleted per table. */
  deleted: Record<string, number>;
  ms: number;
}

/**
 * Deletes what the retention rules say may go, in small batches: each batch is one short
 * transaction that first takes `pg_try_advisory_xact_lock` (so two instances never prune
 * at once, and the lock never outlives a transaction: safe behind PgBouncer's transaction
 * pooling) and then deletes at most `batchSize` rows, skipping rows another transaction
 * holds (a refresh or a logout in progress is never waited for). Runs every
 * PRUNE_INTERVAL_MINUTES in the service and once with `npm run prune`.
 */
@Injectable()
export class PrunerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Retention');
  private readonly rules: RetentionRule[] = [...CORE_RETENTION_RULES];
  private readonly settings: RetentionSettings;
  private timer?: NodeJS.Timeout;
  private running?: Promise<PruneReport>;
  private stopping = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectConfig() config: AppConfig,
    private readonly clock: Clock,
    private readonly metrics: MetricsService,
  ) {
    this.settings = { ...DEFAULT_RETENTION, intervalMinutes: 0, ...config.retention };
  }

  /**
   * Adds a table's rule (accounts: reset and invitation tokens; mfa: its tokens). Call it
   * from the owning module's constructor or onModuleInit.
   */
  register(rule: RetentionRule): void {
    if (this.rules.some((r) => r.table === rule.table)) throw new Error(`a retention rule for ${rule.table} is already registered`);
    this.rules.push(rule);
  }

  /** The rules in force, for the docs and the tests. */
  listRules(): readonly RetentionRule[] {
    return this.rules;
  }

  onApplicationBootstrap(): void {
    const minutes = this.settings.intervalMinutes;
    if (minutes <= 0) return;
    // Instances started together would prune together: the first run comes at a random point of the interval.
    const schedule = (delay: number) => {
      this.timer = setTimeout(() => {
        void this.prune()
          .catch(() => undefined)
          .finally(() => {
            if (!this.stopping) schedule(minutes * 60_000);
          });
      }, delay);
      this.timer.unref();
    };
    schedule(Math.floor(Math.random() * minutes * 60_000));
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One pruning run over every rule; a run already in progress in this process is joined. */
  prune(): Promise<PruneReport> {
    this.running ??= this.run().finally(() => (this.running = undefined));
    return this.running;
  }

  private cutoff(rule: RetentionRule): Date | null {
    const days = { sessions: this.settings.sessionDays, tokens: this.settings.tokenDays, audit: this.settings.auditDays }[rule.retention];
    if (rule.retention === 'audit' && days === 0) return null;
    return new Date(this.clock.nowMs() - days * DAY_MS);
  }

  private async run(): Promise<PruneReport> {
    const started = Date.now();
    const deleted: Record<string, number> = {};
    try {
      for (const rule of this.rules) {
        const cutoff = this.cutoff(rule);
        if (!cutoff) continue;
        deleted[rule.table] = 0;
        for (;;) {
          if (this.stopping) break;
          const n = await this.batch(rule, cutoff);
          if (n === null) {
            this.metrics.pruneRun('skipped');
            this.logger.log('pruning skipped: another instance holds the lock');
            return { ran: false, deleted, ms: Date.now() - started };
          }
          deleted[rule.table] += n;
          this.metrics.pruned(rule.table, n);
          if (n < this.settings.batchSize) break;
        }
      }
    } catch (err) {
      this.metrics.pruneRun('failed');
      this.logger.error(`pruning failed after ${JSON.stringify(deleted)}: ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    }
    const ms = Date.now() - started;
    this.metrics.pruneRun('done');
    this.logger.log({ msg: 'pruned', deleted, ms });
    return { ran: true, deleted, ms };
  }

  /** Deletes one batch under the lock; null when another instance holds it. */
  private async batch(rule: RetentionRule, cutoff: Date): Promise<number | null> {
    return this.dataSource.transaction(async (manager) => {
      const [{ locked }] = await manager.query<{ locked: boolean }[]>('SELECT pg_try_advisory_xact_lock($1) AS locked', [PRUNE_LOCK_KEY]);
      if (!locked) return null;
      const result = await manager.query<[unknown[], number]>(
        `WITH doomed AS (SELECT ${rule.key} FROM ${rule.table} WHERE ${rule.where} LIMIT $2 FOR UPDATE SKIP LOCKED)
         DELETE FROM ${rule.table} t USING doomed WHERE t.${rule.key} = doomed.${rule.key}`,
        [cutoff, this.settings.batchSize],
      );
      return result[1];
    });
  }
}
