import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DataSourceOptions } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { dataSourceOptions, REQUEST_QUERY_TIMEOUT_MS } from './data-source-options';
import { PG_CLIENT, PgClientClass, PgClientModule } from './pg-client';
import { PoolMetrics } from './pool-metrics';

@Module({})
export class DatabaseModule {
  /** `entities` come from the composition root (src/entities.ts): the platform imports no feature. */
  static forRoot(entities: NonNullable<DataSourceOptions['entities']>): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          imports: [PgClientModule],
          inject: [APP_CONFIG, PG_CLIENT],
          useFactory: (config: AppConfig, client: PgClientClass) => {
            const options = dataSourceOptions(
              config.database.url,
              config.database.poolSize,
              config.dependencyTimeouts?.queryMs ?? REQUEST_QUERY_TIMEOUT_MS,
              config.dependencyTimeouts?.poolWaitMs,
              entities,
            );
            return {
              ...options,
              // The app's pool connects with PG_CLIENT's class (EvictingClient, as the tools', unless a test replaces it).
              extra: { ...(options.extra as object), Client: client },
              // Migrations are applied by the start-up sequence (main.ts), never implicitly here.
              migrationsRun: false,
              retryAttempts: 3,
              retryDelay: 1000,
            };
          },
        }),
      ],
      // The pool's use in the metrics (authgate_db_pool_*).
      providers: [PoolMetrics],
    };
  }
}
