import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { Public } from '../platform/http/public.decorator';
import { MigratedSchemaIndicator } from './migrated-schema.indicator';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly schema: MigratedSchemaIndicator,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Liveness: the process is up.' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: the migrated schema answers (every migration of this build applied).' })
  @ApiServiceUnavailableResponse({
    description: 'The database is unreachable, has no schema, or misses a migration of this build.',
    example: {
      status: 'error',
      info: {},
      error: { database: { status: 'down', message: 'the schema is not migrated', pendingMigrations: 1 } },
      details: { database: { status: 'down', message: 'the schema is not migrated', pendingMigrations: 1 } },
    },
  })
  ready() {
    return this.health.check([() => this.schema.check('database')]);
  }
}
