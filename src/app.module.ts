import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AuthModule } from './auth/auth.module';
import { Clock } from './common/clock';
import { CommonModule } from './common/common.module';
import { loggerOptions } from './common/logging/logger-options';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { SqlModule } from './database/sql.module';
import { HealthModule } from './health/health.module';
import { ImpersonationModule } from './impersonation/impersonation.module';
import { SessionPolicyModule } from './session-policy/session-policy.module';
import { OrganizationUsersModule } from './users/directory/organization-users.module';
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
        DatabaseModule,
        SqlModule,
        HealthModule,
        SessionPolicyModule,
        AuthModule,
        ImpersonationModule,
        WorkspaceModule,
        OrganizationUsersModule,
      ],
    };
  }
}
