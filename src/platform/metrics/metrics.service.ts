import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** How a login attempt ended, for `authgate_logins_total{outcome}`. */
export type LoginOutcome = 'success' | 'failure' | 'throttled' | 'mfa_required' | 'error';
/** How a refresh ended: a rotation, a replay inside the grace window, a detected reuse, or refused. */
export type RefreshOutcome = 'rotated' | 'grace' | 'reuse' | 'refused';
export type EmailOutcome = 'sent' | 'failed';
/** ok: 2xx/3xx; rejected: 4xx (e.g. a wrong password); error: 5xx, network failure or timeout. */
export type WorkosOutcome = 'ok' | 'rejected' | 'error';

/** Latency buckets (seconds) for requests answered by this process: 1 ms … 10 s. */
const REQUEST_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Every Prometheus series of the service, in one registry of this application's own (so
 * several applications in one process, as in the tests, never share counters). Features
 * record through the methods below; names and labels follow Prometheus's conventions
 * (`authgate_` prefix, `_total` counters, base units: seconds). Recording is a counter
 * increment, so it happens whether or not METRICS_PORT serves the registry.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  private readonly requestDuration = new Histogram({
    name: 'authgate_http_request_duration_seconds',
    help: 'HTTP requests answered, by method, route pattern and status code (rate: the _count series).',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: REQUEST_BUCKETS,
    registers: [this.registry],
  });
  private readonly logins = new Counter({
    name: 'authgate_logins_total',
    help: 'Login attempts by method (password, workspace, impersonation, sso, …) and outcome.',
    labelNames: ['method', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly refreshes = new Counter({
    name: 'authgate_refreshes_total',
    help: 'Refresh-token presentations by outcome: rotated, grace (replay within the grace window), reuse (session ended), refused.',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private readonly throttleRefusals = new Counter({
    name: 'authgate_throttle_refusals_total',
    help: 'Requests refused with 429 by the login throttle, by the budget that refused them.',
    labelNames: ['budget'] as const,
    registers: [this.registry],
  });
  private readonly mfaOutcomes = new Counter({
    name: 'authgate_mfa_outcomes_total',
    help: 'Second-factor checks by step (login, step_up, enrolment, …), factor (totp, recovery_code, …) and outcome.',
    labelNames: ['step', 'factor', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly passwordChecks = new Counter({
    name: 'authgate_password_checks_total',
    help: 'bcrypt compares run (every password check, and the one an unknown account costs): the CPU a flood of logins spends.',
    registers: [this.registry],
  });
  private readonly emails = new Counter({
    name: 'authgate_emails_total',
    help: 'Emails handed to the mail transport by kind (reset, invitation, …) and outcome (sent, failed).',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly sessionCache = new Counter({
    name: 'authgate_session_cache_lookups_total',
    help: 'Session liveness lookups by result: hit (answered from the in-process cache) or miss (read from PostgreSQL).',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  private readonly workosDuration = new Histogram({
    name: 'authgate_workos_request_duration_seconds',
    help: 'HTTP calls to the WorkOS API by operation (method and path, ids elided) and outcome: ok, rejected (4xx), error (5xx, network, timeout).',
    labelNames: ['operation', 'outcome'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly prunedRows = new Counter({
    name: 'authgate_pruned_rows_total',
    help: 'Rows deleted by the retention pruner, by table.',
    labelNames: ['table'] as const,
    registers: [this.registry],
  });
  private readonly pruneRuns = new Counter({
    name: 'authgate_prune_runs_total',
    help: 'Pruning runs by outcome: done, skipped (another instance held the lock), failed.',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private defaultsCollected = false;

  /** Process metrics (CPU, memory, handles, GC) and the event-loop lag, from prom-client; once, when served. */
  collectProcessMetrics(): void {
    if (this.defaultsCollected) return;
    this.defaultsCollected = true;
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 10 });
  }

  /** A gauge read at scrape time (for values another part owns, such as the database pool). */
  gauge<L extends string>(name: string, help: string, labelNames: readonly L[], read: (set: (labels: Record<L, string>, value: number) => void) => void): void {
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [this.registry],
      collect() {
        read((labels, value) => this.set(labels, value));
      },
    });
  }

  httpRequest(method: string, route: string, statusCode: number, seconds: number): void {
    this.requestDuration.observe({ method, route, status_code: statusCode }, seconds);
  }

  login(method: string, outcome: LoginOutcome): void {
    this.logins.inc({ method, outcome });
  }

  refresh(outcome: RefreshOutcome): void {
    this.refreshes.inc({ outcome });
  }

  throttleRefusal(budget: string): void {
    this.throttleRefusals.inc({ budget });
  }

  mfa(step: string, factor: string, outcome: string): void {
    this.mfaOutcomes.inc({ step, factor, outcome });
  }

  passwordCheck(): void {
    this.passwordChecks.inc();
  }

  email(kind: string, outcome: EmailOutcome): void {
    this.emails.inc({ kind, outcome });
  }

  sessionCacheLookup(hit: boolean): void {
    this.sessionCache.inc({ result: hit ? 'hit' : 'miss' });
  }

  /** One HTTP call to the WorkOS API (`POST /user_management/authenticate`), by its outcome. */
  workosRequest(operation: string, outcome: WorkosOutcome, seconds: number): void {
    this.workosDuration.observe({ operation, outcome }, seconds);
  }

  pruned(table: string, rows: number): void {
    if (rows > 0) this.prunedRows.inc({ table }, rows);
  }

  pruneRun(outcome: 'done' | 'skipped' | 'failed'): void {
    this.pruneRuns.inc({ outcome });
  }

  /** The exposition text and its content type, as /metrics serves them. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
