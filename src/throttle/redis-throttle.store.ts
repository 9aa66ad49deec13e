import { Logger, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { ApiErrorCode } from '../platform/errors/api-error-code';
import { apiError } from '../platform/errors/api.exception';
import { ThrottleKey, ThrottleScope } from './throttle-policy';
import { Reservation, ReserveResult, ThrottleStore } from './throttle-store';

/**
 * The decision of the PostgreSQL `throttle_reserve` function (migrations/*-ThrottleFunctions.ts), in Lua, so that reading, deciding and charging
 * the three counters is one atomic step in Redis. Each key is a hash
 * { f: failures, w: window start (ms), l: last failure (ms) } that expires
 * a minute after its window ends (relative TTL: the app's clock decides the
 * window, Redis's clock only the clean-up).
 * Returns { 1, windowStart… } when charged, { 0, retryAfterMs, blockedIndex… } when refused.
 */
const RESERVE = `
local now = tonumber(ARGV[1])
local states = {}
local untilMax = 0
local blocked = {}
for i = 1, #KEYS do
  local o = 1 + (i - 1) * 5
  local windowMs, limit, free = tonumber(ARGV[o + 1]), tonumber(ARGV[o + 2]), tonumber(ARGV[o + 3])
  local base, cap = tonumber(ARGV[o + 4]), tonumber(ARGV[o + 5])
  local v = redis.call('HMGET', KEYS[i], 'f', 'w', 'l')
  local f, w, l = tonumber(v[1]), tonumber(v[2]), tonumber(v[3])
  if f == nil or w == nil or f == 0 or now >= w + windowMs then
    f, w, l = 0, now, nil
  end
  local windowEnd = w + windowMs
  local u = 0
  if f >= limit then
    u = windowEnd
  elseif free >= 0 and f >= free and l ~= nil then
    u = math.min(l + math.min(base * 2 ^ (f - free), cap), windowEnd)
  end
  if u > now then
    if u > untilMax then untilMax = u end
    blocked[#blocked + 1] = i
  end
  states[i] = { f, w, windowEnd }
end
if #blocked > 0 then
  local out = { 0, untilMax - now }
  for _, i in ipairs(blocked) do out[#out + 1] = i end
  return out
end
local out = { 1 }
for i = 1, #KEYS do
  local s = states[i]
  redis.call('HSET', KEYS[i], 'f', s[1] + 1, 'w', string.format('%d', s[2]), 'l', string.format('%d', now))
  redis.call('PEXPIRE', KEYS[i], string.format('%d', s[3] - now + 60000))
  out[#out + 1] = s[2]
end
return out
`;

/** ThrottleStore.settle: per key, ARGV = window start, reset (1) or hand back (0). */
const SETTLE = `
for i = 1, #KEYS do
  local ws, reset = tonumber(ARGV[(i - 1) * 2 + 1]), ARGV[(i - 1) * 2 + 2]
  local v = redis.call('HMGET', KEYS[i], 'f', 'w')
  local f, w = tonumber(v[1]), tonumber(v[2])
  if f ~= nil then
    if reset == '1' then
      redis.call('HSET', KEYS[i], 'f', 0)
      redis.call('HDEL', KEYS[i], 'l')
    elseif w == ws and f > 0 then
      redis.call('HINCRBY', KEYS[i], 'f', -1)
    end
  end
end
return 1
`;

type ScriptRunner = (...args: (string | number)[]) => Promise<unknown>;

/**
 * The counters in Redis (REDIS_URL). Commands fail at once while Redis is
 * unreachable (no offline queue), which the login answers with 503: a login is
 * never waved through unthrottled, and nothing is counted.
 */
export class RedisThrottleStore extends ThrottleStore implements OnApplicationShutdown {
  private readonly logger = new Logger('Throttle');
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly prefix: string,
    commandTimeoutMs = 2000,
  ) {
    super();
    this.redis = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      commandTimeout: commandTimeoutMs,
      retryStrategy: (times) => Math.min(times * 200, 2000),
    });
    this.redis.on('error', (err: Error) => this.logger.warn(`redis: ${err.message}`));
    this.redis.defineCommand('throttleReserve', { numberOfKeys: 3, lua: RESERVE });
    this.redis.defineCommand('throttleSettle', { numberOfKeys: 3, lua: SETTLE });
  }

  /** After the HTTP server has drained: in-flight logins still need the store. */
  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  async reserve(keys: readonly ThrottleKey[], nowMs: number): Promise<ReserveResult> {
    const args: (string | number)[] = [...keys.map((k) => this.prefix + k.key), nowMs];
    for (const { rule } of keys) {
      args.push(rule.windowMs, rule.limit, rule.backoff?.free ?? -1, rule.backoff?.baseMs ?? 0, rule.backoff?.capMs ?? 0);
    }
    const reply = (await this.run('throttleReserve', args)) as number[];
    if (reply[0] === 1) return { allowed: true, reservation: { keys, windowStartsMs: reply.slice(1) } };
    const blockedBy: ThrottleScope[] = reply.slice(2).map((i) => keys[i - 1].scope);
    return { allowed: false, retryAfterMs: reply[1], blockedBy };
  }

  async settle(reservation: Reservation, outcome: 'success' | 'release'): Promise<void> {
    const args: (string | number)[] = reservation.keys.map((k) => this.prefix + k.key);
    reservation.keys.forEach((k, i) => {
      args.push(reservation.windowStartsMs[i], outcome === 'success' && k.rule.resetOnSuccess ? '1' : '0');
    });
    await this.run('throttleSettle', args);
  }

  private async run(command: 'throttleReserve' | 'throttleSettle', args: (string | number)[]): Promise<unknown> {
    const script = (this.redis as unknown as Record<string, ScriptRunner>)[command];
    try {
      return await script.apply(this.redis, args);
    } catch (err) {
      this.logger.warn(`redis ${command} failed: ${err instanceof Error ? err.message : String(err)}`);
      throw apiError(ApiErrorCode.SERVICE_UNAVAILABLE);
    }
  }
}
