import fastifyCookie from '@fastify/cookie';
import { DynamicModule, NestApplicationOptions, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger, PinoLogger } from 'nestjs-pino';
import { AppModule, AppModuleOptions } from './app.module';
import { ApiExceptionFilter } from './platform/errors/api-exception.filter';
import { ApiValidationPipe } from './platform/http/api-validation.pipe';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { clientRequestIdOf, logRequests, REQUEST_ID_HEADER, requestIdGenerator } from './platform/logging/logger-options';
import { forgetClientRequestId, noteClientRequestId } from './platform/logging/security-events';
import { frameworkErrorHandler } from './platform/http/framework-errors';
import { clientErrorHandler } from './platform/http/client-errors';
import { boundDrain, DEFAULT_SERVER_LIMITS, serverLimitOptions } from './platform/http/server-limits';
import { trustedProxyCheck } from './platform/http/trusted-proxy';
import { SECURITY_HEADERS } from './platform/http/security-headers';
import { answerMethodNotAllowed } from './platform/http/method-not-allowed';
import { BEARER_CHALLENGE, isBearerRoute } from './platform/http/bearer-challenge';
import { setupSwagger } from './platform/http/swagger';
import { AppConfig } from './platform/config/app-config';
import { registerDemo } from './demo/demo-static';
import { MetricsService } from './platform/metrics/metrics.service';
import { recordRequests } from './platform/metrics/request-metrics';
import { JWKS_PATH } from './tokens/jwks.controller';
import { WorkspaceEnvelopeFilter } from './workspace/envelope/workspace-envelope.filter';

export const BODY_LIMIT_BYTES = 16 * 1024;

/**
 * How the root module becomes an application: NestFactory in the service; the tests
 * compile it as a testing module, where they can override a provider (test/support/test-app.ts).
 */
export type BuildApp = (root: DynamicModule, adapter: FastifyAdapter, options: NestApplicationOptions) => Promise<NestFastifyApplication>;

const nestFactory: BuildApp = (root, adapter, options) => NestFactory.create<NestFastifyApplication>(root, adapter, options);

/** The configured application, not yet listening. Used by main.ts, the tests and the benchmark. */
export async function createApp(config: AppConfig, options: AppModuleOptions = {}, build: BuildApp = nestFactory): Promise<NestFastifyApplication> {
  const limits = { ...DEFAULT_SERVER_LIMITS, ...config.http };
  // Errors anywhere, the framework's own included, answer in the shape of their path (the envelope under /api/workspace).
  const filter = new ApiExceptionFilter([{ pathPrefix: '/api/workspace', filter: new WorkspaceEnvelopeFilter() }]);
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: config.trustProxy ?? false,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    return503OnClosing: true,
    routerOptions: { maxParamLength: 200 },
    ...serverLimitOptions(limits),
    // The request id of the logs, the security events and the X-Request-Id answer: a client's only from a trusted proxy.
    genReqId: requestIdGenerator(trustedProxyCheck(config.trustProxy)),
    frameworkErrors: frameworkErrorHandler(filter, answerHeaders),
    // What node's HTTP parser refuses before there is a request (431, 400, 408): the same shapes and headers.
    clientErrorHandler: clientErrorHandler(filter),
  });
  closeKeepAliveWhileDraining(adapter);
  challengeEveryBearer401(adapter);
  boundDrain(adapter.getInstance(), limits.shutdownTimeoutMs);
  const app = await build(AppModule.forRoot(config, options), adapter, {
    bufferLogs: true,
    // JSON only: Fastify's own JSON parser (with the poisoning options above) stays; Nest's
    // urlencoded parser is not added, so a form body is refused 415 like any non-JSON body.
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();
  // JSON is the only body the API reads: a text/plain body is refused as a media type (415), not parsed as a string.
  fastify.removeContentTypeParser('text/plain');
  logRequests(fastify, () => PinoLogger.root);
  if (config.metrics) recordRequests(fastify, app.get(MetricsService));
  fastify.addHook('onRequest', (request, reply, done) => {
    answerHeaders(request, reply);
    const clientRequestId = clientRequestIdOf(request.raw, request.id);
    if (clientRequestId !== null) noteClientRequestId(request.id, clientRequestId);
    done();
  });
  fastify.addHook('onResponse', (request, _reply, done) => {
    forgetClientRequestId(request.id);
    done();
  });
  // After the headers above, before any route is registered.
  answerMethodNotAllowed(fastify);
  // Only the configured SPA origins, compared exactly; any other origin (or none configured) gets no CORS
  // headers at all. A function rather than the list, or @fastify/cors sends Allow-Credentials to everyone.
  const corsOrigins = new Set(config.corsOrigins);
  app.enableCors({
    origin: (origin, allow) => allow(null, origin !== undefined && corsOrigins.has(origin)),
    credentials: true,
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Workspace', 'X-Request-Id'],
    exposedHeaders: ['Retry-After', 'X-Request-Id', 'Date'],
    maxAge: 600,
  });
  // The JWKS lives where resource servers' libraries look for it, outside /api.
  app.setGlobalPrefix('api', { exclude: [{ path: JWKS_PATH, method: RequestMethod.GET }] });
  app.useGlobalPipes(new ApiValidationPipe());
  app.useGlobalFilters(filter);
  // Cookies are read only in the refresh-cookie mode (src/auth/refresh-cookie): no parsing on any request otherwise.
  if (config.refreshTokenCookie) await app.register(fastifyCookie);
  if (config.apiDocsEnabled !== false) setupSwagger(app);
  if (config.demoEnabled) await registerDemo(app);
  return app;
}

/** The headers of every answer, whoever answers: security headers, the request id, and no-store for API answers. */
function answerHeaders(request: FastifyRequest, reply: FastifyReply): void {
  void reply.headers(SECURITY_HEADERS).header(REQUEST_ID_HEADER, request.id);
  // Answers carry tokens and personal data: no cache keeps them (RFC 6749 §5.1). Swagger UI's assets may be cached.
  if (request.url.startsWith('/api/') && !request.url.startsWith('/api/docs')) void reply.header('cache-control', 'no-store');
}

/** RFC 6750 §3: any 401 of a bearer route without a challenge yet (no token, or a refusal raised past the guard) gets one. */
function challengeEveryBearer401(adapter: FastifyAdapter): void {
  adapter.getInstance().addHook('onSend', (request, reply, payload, done) => {
    if (reply.statusCode === 401 && !reply.hasHeader('www-authenticate') && isBearerRoute(request)) reply.header('www-authenticate', BEARER_CHALLENGE);
    done(null, payload);
  });
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
