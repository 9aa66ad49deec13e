import { Module } from '@nestjs/common';
import { Clock } from '../platform/clock';
import { APP_CONFIG, AppConfig } from '../platform/config/app-config';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { SqlStatements } from '../platform/database/sql-statement';
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
      inject: [APP_CONFIG, getDataSourceToken(), Clock],
      useFactory: (config: AppConfig, dataSource: DataSource, clock: Clock): ThrottleStore =>
        config.redisUrl
          ? new RedisThrottleStore(config.redisUrl, config.throttle?.redisKeyPrefix ?? DEFAULT_REDIS_KEY_PREFIX, config.dependencyTimeouts?.redisCommandMs)
          : new PostgresThrottleStore(new SqlStatements(dataSource, config.database.preparedStatements !== false), clock),
    },
    LoginThrottle,
  ],
  exports: [LoginThrottle, ThrottleStore],
})
export class ThrottleModule {}
