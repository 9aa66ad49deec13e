import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AuthModule } from './auth/auth.module';
import { Clock } from './platform/clock';
import { CommonModule } from './platform/common.module';
import { loggerOptions } from './platform/logging/logger-options';
import { AppConfig } from './platform/config/app-config';
import { ConfigModule } from './platform/config/config.module';
import { DatabaseModule } from './platform/database/database.module';
import { ENTITIES } from './entities';
import { MetricsModule } from './platform/metrics/metrics.module';
import { RetentionModule } from './platform/retention/retention.module';
import { HealthModule } from './health/health.module';
import { ImpersonationModule } from './impersonation/impersonation.module';
import { SessionPolicyModule } from './session-policy/session-policy.module';
import { AccountsModule } from './accounts/accounts.module';
import { WorkspaceModule } from './workspace/workspace.module';

export interface AppModuleOptions {
  clock?: Clock;
  /** Where log lines go (stdout by default); tests capture them here. */
  logDestination?: NodeJS.WritableStream;
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        CommonModule.forRoot(options.clock),
        LoggerModule.forRoot(loggerOptions(config, options.logDestination)),
        DatabaseModule.forRoot(ENTITIES),
        MetricsModule,
        RetentionModule,
        HealthModule,
        SessionPolicyModule,
        AuthModule,
        ImpersonationModule,
        WorkspaceModule,
        AccountsModule,
      ],
    };
  }
}
