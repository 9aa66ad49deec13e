/**
 * The ceilings the service's figures are divided by, each in its own process:
 *   node -r @swc-node/register bench/baselines.ts bcrypt <cost> <concurrency> <seconds>
 *     → prints {"perSecond": n} after running `concurrency` parallel compare loops
 *   node -r @swc-node/register bench/baselines.ts http <bodyBytes>
 *     → a bare node:http server answering a JSON body of that size; prints `ready <port>`
 *   node -r @swc-node/register bench/baselines.ts nest <bodyBytes>
 *     → the same answer from a NestJS + Fastify hello world (one controller, nothing
 *       else): the framework's own ceiling, which the service's routes run under
 *   node -r @swc-node/register bench/baselines.ts refresh-http <databaseUrl> <poolSize>
 *     → POST {"refreshToken"} on a bare node:http server, answered by the refresh's own
 *       two statements (prepared) and nothing else: no framework, validation, rules,
 *       signature, log or metrics. Under the same load as the service's refresh it is what
 *       any HTTP service can reach beside the database ceiling on this machine, load
 *       generator included (the ceiling itself has no HTTP and no load generator)
 *   node -r @swc-node/register bench/baselines.ts refresh-nest <databaseUrl> <poolSize>
 *     → the same two statements behind NestJS + Fastify: POST /api/auth/refresh with the
 *       service's own RefreshDto and ApiValidationPipe, and nothing else of the service (no
 *       guard, session rule, signature, log line or metrics): what the framework alone costs
 */
import 'reflect-metadata';
import { createServer, RequestListener, Server, ServerResponse } from 'node:http';
import { Body, Controller, Get, HttpCode, Module, Post, Type, UnauthorizedException } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import bcrypt from 'bcrypt';
import { Pool } from 'pg';
import { RefreshDto } from '../src/auth/dto/login.dto';
import { ApiValidationPipe } from '../src/platform/http/api-validation.pipe';
import { rotateStraight, statementRunner } from './refresh-ceiling';

async function bcryptCeiling(cost: number, concurrency: number, seconds: number): Promise<void> {
  const hash = await bcrypt.hash('CorrectHorseBatteryStaple!', cost);
  const deadline = Date.now() + seconds * 1000;
  let done = 0;
  const start = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < deadline) {
        await bcrypt.compare('CorrectHorseBatteryStaple!', hash);
        done++;
      }
    }),
  );
  process.stdout.write(JSON.stringify({ perSecond: done / ((Date.now() - start) / 1000) }) + '\n');
}

/** A JSON body of `bodyBytes` bytes. */
const bodyOf = (bodyBytes: number) => ({ data: 'x'.repeat(Math.max(0, bodyBytes - 11)) });

/** Tells the bench the port (`ready <port>`, see readyPort in bench/service.ts). */
function announce(address: ReturnType<Server['address']>): void {
  process.stdout.write(`ready ${typeof address === 'object' && address ? address.port : 0}\n`);
}

/** A bare node:http server on a free port; SIGTERM closes it, then `cleanUp`, then exits. */
function serveBare(handler: RequestListener, cleanUp: () => Promise<unknown> = async () => undefined): void {
  const server = createServer(handler);
  server.listen(0, '127.0.0.1', () => announce(server.address()));
  process.on('SIGTERM', () => server.close(() => void cleanUp().then(() => process.exit(0))));
}

/** A NestJS + Fastify application of `module` alone (no logger) on a free port; SIGTERM as serveBare. */
async function serveNest(module: Type, options: { validate?: boolean; cleanUp?: () => Promise<unknown> } = {}): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(module, new FastifyAdapter(), { logger: false });
  if (options.validate) app.useGlobalPipes(new ApiValidationPipe());
  await app.listen(0, '127.0.0.1');
  announce(app.getHttpServer().address());
  process.on('SIGTERM', () => void app.close().then(options.cleanUp).then(() => process.exit(0)));
}

function json(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function bareHttp(bodyBytes: number): void {
  const body = JSON.stringify(bodyOf(bodyBytes));
  serveBare((_req, res) => json(res, 200, body));
}

function bareRefresh(databaseUrl: string, poolSize: number): void {
  const pool = new Pool({ connectionString: databaseUrl, max: poolSize });
  const run = statementRunner(pool, true);
  serveBare((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const { refreshToken } = JSON.parse(Buffer.concat(chunks).toString()) as { refreshToken: string };
      rotateStraight(run, refreshToken).then(
        (successor) => (successor ? json(res, 200, JSON.stringify({ refreshToken: successor })) : json(res, 401, '{"code":"REFRESH_TOKEN_INVALID"}')),
        () => json(res, 500, '{}'),
      );
    });
  }, () => pool.end());
}

async function nestHello(bodyBytes: number): Promise<void> {
  const body = bodyOf(bodyBytes);
  @Controller()
  class HelloController {
    @Get()
    hello() {
      return body;
    }
  }
  @Module({ controllers: [HelloController] })
  class HelloModule {}
  await serveNest(HelloModule);
}

async function nestRefresh(databaseUrl: string, poolSize: number): Promise<void> {
  const pool = new Pool({ connectionString: databaseUrl, max: poolSize });
  const run = statementRunner(pool, true);
  @Controller('api/auth')
  class RefreshController {
    @Post('refresh')
    @HttpCode(200)
    async refresh(@Body() body: RefreshDto): Promise<{ refreshToken: string }> {
      const successor = body.refreshToken ? await rotateStraight(run, body.refreshToken) : undefined;
      if (!successor) throw new UnauthorizedException();
      return { refreshToken: successor };
    }
  }
  @Module({ controllers: [RefreshController] })
  class RefreshModule {}
  await serveNest(RefreshModule, { validate: true, cleanUp: () => pool.end() });
}

const [mode, a, b, c] = process.argv.slice(2);
if (mode === 'bcrypt') void bcryptCeiling(Number(a), Number(b), Number(c));
else if (mode === 'http') bareHttp(Number(a));
else if (mode === 'nest') void nestHello(Number(a));
else if (mode === 'refresh-http') bareRefresh(a, Number(b));
else if (mode === 'refresh-nest') void nestRefresh(a, Number(b));
else {
  console.error('usage: baselines.ts bcrypt <cost> <concurrency> <seconds> | http <bodyBytes> | nest <bodyBytes> | refresh-http|refresh-nest <databaseUrl> <poolSize>');
  process.exit(2);
}
