import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger, PinoLogger } from 'nestjs-pino';
import { AppModule, AppModuleOptions } from './app.module';
import { ApiExceptionFilter } from './platform/errors/api-exception.filter';
import { ApiValidationPipe } from './platform/http/api-validation.pipe';
import { logRequests, REQUEST_ID_HEADER, requestIdOf } from './platform/logging/logger-options';
import { SECURITY_HEADERS } from './platform/http/security-headers';
import { setupSwagger } from './platform/http/swagger';
import { AppConfig } from './platform/config/app-config';
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
    // The request id of the logs, the security events and the X-Request-Id answer.
    genReqId: requestIdOf,
  });
  closeKeepAliveWhileDraining(adapter);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, options), adapter, {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();
  logRequests(fastify, () => PinoLogger.root);
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.headers(SECURITY_HEADERS).header(REQUEST_ID_HEADER, request.id);
    // Answers carry tokens and personal data: no cache keeps them (RFC 6749 §5.1). Swagger UI's assets may be cached.
    if (request.url.startsWith('/api/') && !request.url.startsWith('/api/docs')) void reply.header('cache-control', 'no-store');
    done();
  });
  // Only the configured SPA origins, compared exactly; any other origin (or none configured) gets no CORS
  // headers at all. A function rather than the list, or @fastify/cors sends Allow-Credentials to everyone.
  const corsOrigins = new Set(config.corsOrigins);
  app.enableCors({
    origin: (origin, allow) => allow(null, origin !== undefined && corsOrigins.has(origin)),
    credentials: true,
    methods: ['GET', 'POST', 'PUT', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Workspace', 'X-Request-Id'],
    exposedHeaders: ['Retry-After', 'X-Request-Id', 'Date'],
    maxAge: 600,
  });
  app.setGlobalPrefix('api');
  app.useGlobalPipes(new ApiValidationPipe());
  const filter = new ApiExceptionFilter([{ pathPrefix: '/api/workspace', filter: new WorkspaceEnvelopeFilter() }]);
  app.useGlobalFilters(filter);
  setupSwagger(app);
  if (config.demoEnabled) await registerDemo(app);
  return app;
}

/**
 * A request already in flight when the drain starts would leave its keep-alive
 * connection open until keepAliveTimeout (72 s), holding up the shutdown: its
 * response says `Connection: close` instead (test/faults/npm-start-sigterm.e2e.ts).
 */
function closeKeepAliveWhileDraining(adapter: FastifyAdapter): void {
  const fastify = adapter.getInstance();
  let draining = false;
  fastify.addHook('preClose', (done) => {
    draining = true;
    done();
  });
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (draining) reply.header('connection', 'close');
    done(null, payload);
  });
}
