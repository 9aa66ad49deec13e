import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppModule, AppModuleOptions } from './app.module';
import { ApiExceptionFilter } from './common/errors/api-exception.filter';
import { ApiValidationPipe } from './common/http/api-validation.pipe';
import { setupSwagger } from './common/http/swagger';
import { AppConfig } from './config/app-config';
import { registerDemo } from './demo/demo-static';
import { WorkspaceEnvelopeFilter } from './workspace/envelope/workspace-envelope.filter';

export const BODY_LIMIT_BYTES = 16 * 1024;

/** The configured application, not yet listening. Used by main.ts, the tests and the benchmark. */
export async function createApp(config: AppConfig, options: AppModuleOptions = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: config.trustProxy ?? false,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    return503OnClosing: true,
    routerOptions: { maxParamLength: 200 },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, options), adapter, {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix('api');
  app.useGlobalPipes(new ApiValidationPipe());
  const filter = new ApiExceptionFilter([{ pathPrefix: '/api/workspace', filter: new WorkspaceEnvelopeFilter() }]);
  app.useGlobalFilters(filter);
  setupSwagger(app);
  if (config.demoEnabled) await registerDemo(app);
  return app;
}
