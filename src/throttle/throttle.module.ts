import { Module } from '@nestjs/common';
import { Clock } from '../platform/clock';
import { APP_CONFIG, AppConfig } from '../platform/config/app-config';
import { Sql } from '../platform/database/sql.service';
import { LoginThrottle } from './login-throttle.service';
import { PostgresThrottleStore } from './postgres-throttle.store';
import { RedisThrottleStore } from './redis-throttle.store';
import { ThrottleStore } from './throttle-store';

export const DEFAULT_REDIS_KEY_PREFIX = 'authgate:throttle:';

/** Failed-login throttling; the counters live in Redis when REDIS_URL is set, in PostgreSQL otherwise. */
@Module({
  providers: [
    {
      provide: ThrottleStore,
      inject: [APP_CONFIG, Sql, Clock],
      useFactory: (config: AppConfig, sql: Sql, clock: Clock): ThrottleStore =>
        config.redisUrl
          ? new RedisThrottleStore(config.redisUrl, config.throttle?.redisKeyPrefix ?? DEFAULT_REDIS_KEY_PREFIX, config.dependencyTimeouts?.redisCommandMs)
          : new PostgresThrottleStore(sql, clock),
    },
    LoginThrottle,
  ],
  exports: [LoginThrottle, ThrottleStore],
})
export class ThrottleModule {}
