/**
 * The child side of `startAppProcess`: one instance of the service in a process of
 * its own (its own Passport registry, caches and pool), as behind a load balancer.
 * Configuration comes from APP_PROCESS_CONFIG; a fake clock, when APP_PROCESS_CLOCK_MS
 * is set, is moved by the parent over the IPC channel.
 */
import 'reflect-metadata';
import { createApp } from '../../src/app.factory';
import type { AppConfig } from '../../src/platform/config/app-config';
import { MetricsServer } from '../../src/platform/metrics/metrics.server';
import { FakeClock } from './fake-clock';

type ParentMessage = { type: 'clock'; ms: number; id: number };

async function main(): Promise<void> {
  const config = JSON.parse(process.env.APP_PROCESS_CONFIG ?? '{}') as AppConfig;
  const clockMs = process.env.APP_PROCESS_CLOCK_MS;
  const clock = clockMs ? new FakeClock(Number(clockMs)) : undefined;
  const app = await createApp(config, { clock });
  // Tells the parent the drain has begun (the server stops accepting right after this hook): what a test of
  // the drain waits for, rather than a guess at how long a loaded machine takes to handle the signal.
  app.getHttpAdapter().getInstance().addHook('preClose', (done) => {
    process.send?.({ type: 'draining' });
    done();
  });
  // config.port: 0 (any free port) unless the test restarts an instance on the port it had.
  await app.listen(config.port, '127.0.0.1');
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'clock' && clock) {
      clock.set(message.ms);
      process.send?.({ type: 'clock-set', id: message.id });
    }
  });
  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    void app.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('disconnect', stop);
  process.send?.({ type: 'ready', port, metricsUrl: app.get(MetricsServer).url });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
