/**
 * One instance of the service in its own process, for the benchmark (the load
 * generator must not share the service's event loop). Configuration comes from
 * BENCH_CONFIG (a JSON AppConfig); prints `ready <port>` when listening.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { createApp } from '../src/app.factory';
import type { AppConfig } from '../src/platform/config/app-config';

async function main(): Promise<void> {
  const config = JSON.parse(process.env.BENCH_CONFIG ?? '{}') as AppConfig;
  const app = await createApp(config);
  await app.listen(config.port, '127.0.0.1');
  const address = app.getHttpServer().address();
  process.stdout.write(`ready ${typeof address === 'object' && address ? address.port : config.port}\n`);
  // CPU profile of the load only, not of start-up: SIGUSR2 starts it, SIGUSR1 writes it to BENCH_PROFILE.
  const profileTo = process.env.BENCH_PROFILE;
  if (profileTo) {
    const inspector = new Session();
    inspector.connect();
    process.on('SIGUSR2', () => {
      inspector.post('Profiler.enable', () => inspector.post('Profiler.start'));
    });
    process.on('SIGUSR1', () => {
      inspector.post('Profiler.stop', (err, result) => {
        if (!err) writeFileSync(profileTo, JSON.stringify(result.profile));
        process.stdout.write('profiled\n');
      });
    });
  }
  const stop = () => void app.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
