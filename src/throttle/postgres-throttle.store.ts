import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Clock } from '../platform/clock';
import { sql, SqlStatements } from '../platform/database/sql-statement';
import { HOUR_MS, ThrottleKey, ThrottleScope } from './throttle-policy';
import { Reservation, ReserveResult, ThrottleStore } from './throttle-store';

interface ReserveRow {
  allowed: boolean;
  retry_after_ms: string;
  blocked: number[];
  window_started_at: Date[] | null;
}

/** Rows whose window ended this long ago are deleted by the sweeper (every window is an hour). */
const STALE_AFTER_MS = 2 * HOUR_MS;
const SWEEP_EVERY_MS = 10 * 60_000;
const SWEEP_BATCH = 10_000;

const RESERVE = sql(
  'throttle_reserve',
  `SELECT allowed, retry_after_ms, blocked, window_started_at FROM throttle_reserve($1, $2, $3, $4, $5, $6, $7)`,
);
const SETTLE = sql('throttle_settle', `SELECT throttle_settle($1, $2, $3)`);
const SWEEP = sql(
  'throttle_sweep',
  `DELETE FROM throttle_counters WHERE ctid IN
     (SELECT ctid FROM throttle_counters WHERE window_started_at < $1 LIMIT ${SWEEP_BATCH})`,
);

/**
 * The default store: the `throttle_counters` table, through the two functions
 * of migrations/*-ThrottleFunctions.ts. A reservation is one statement: it
 * locks (creating them if needed) the attempt's counters in key order, decides
 * and charges all or none, so parallel attempts on one account queue on the
 * row locks inside PostgreSQL, each seeing the charges of the ones before it,
 * and hold them for microseconds rather than for round trips.
 */
@Injectable()
export class PostgresThrottleStore extends ThrottleStore implements OnModuleDestroy {
  private readonly logger = new Logger('Throttle');
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly sql: SqlStatements,
    private readonly clock: Clock,
  ) {
    super();
    this.sweeper = setInterval(() => void this.sweep(), SWEEP_EVERY_MS);
    this.sweeper.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }

  async reserve(keys: readonly ThrottleKey[], nowMs: number): Promise<ReserveResult> {
    const { rows } = await this.sql.run<ReserveRow>(
      RESERVE,
      [
        keys.map((k) => k.key),
        new Date(nowMs),
        keys.map((k) => k.rule.windowMs),
        keys.map((k) => k.rule.limit),
        keys.map((k) => k.rule.backoff?.free ?? -1),
        keys.map((k) => k.rule.backoff?.baseMs ?? 0),
        keys.map((k) => k.rule.backoff?.capMs ?? 0),
      ],
    );
    const row = rows[0];
    if (row.allowed && row.window_started_at) {
      return { allowed: true, reservation: { keys, windowStartsMs: row.window_started_at.map((d) => d.getTime()) } };
    }
    const blockedBy: ThrottleScope[] = row.blocked.map((i) => keys[i - 1].scope);
    return { allowed: false, retryAfterMs: Number(row.retry_after_ms), blockedBy };
  }

  async settle(reservation: Reservation, outcome: 'success' | 'release'): Promise<void> {
    await this.sql.run(
      SETTLE,
      [
        reservation.keys.map((k) => k.key),
        reservation.windowStartsMs.map((ms) => new Date(ms)),
        reservation.keys.map((k) => outcome === 'success' && k.rule.resetOnSuccess === true),
      ],
    );
  }

  /** Counters of finished windows are zero by definition; deleting them keeps the table small. */
  private async sweep(): Promise<void> {
    try {
      await this.sql.run(SWEEP, [new Date(this.clock.nowMs() - STALE_AFTER_MS)]);
    } catch (err) {
      this.logger.warn(`throttle sweep skipped: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
