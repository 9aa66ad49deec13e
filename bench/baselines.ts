/**
 * The ceilings the service's figures are divided by, each in its own process:
 *   node -r @swc-node/register bench/baselines.ts bcrypt <cost> <concurrency> <seconds>
 *     → prints {"perSecond": n} after running `concurrency` parallel compare loops
 *   node -r @swc-node/register bench/baselines.ts http <bodyBytes>
 *     → a bare node:http server answering a JSON body of that size; prints `ready <port>`
 *   node -r @swc-node/register bench/baselines.ts nest <bodyBytes>
 *     → the same answer from a NestJS + Fastify hello world (one controller, nothing
 *       else): the framework's own ceiling, which the service's routes run under
 */
import 'reflect-metadata';
import { createServer } from 'node:http';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import bcrypt from 'bcrypt';

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

function bareHttp(bodyBytes: number): void {
  const body = JSON.stringify(bodyOf(bodyBytes));
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(`ready ${typeof address === 'object' && address ? address.port : 0}\n`);
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
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
  const app = await NestFactory.create<NestFastifyApplication>(HelloModule, new FastifyAdapter(), { logger: false });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  process.stdout.write(`ready ${typeof address === 'object' && address ? address.port : 0}\n`);
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

const [mode, a, b, c] = process.argv.slice(2);
if (mode === 'bcrypt') void bcryptCeiling(Number(a), Number(b), Number(c));
else if (mode === 'http') bareHttp(Number(a));
else if (mode === 'nest') void nestHello(Number(a));
else {
  console.error('usage: baselines.ts bcrypt <cost> <concurrency> <seconds> | http <bodyBytes> | nest <bodyBytes>');
  process.exit(2);
}
