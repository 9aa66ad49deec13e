import assert from 'node:assert/strict';
import { MetricsServer } from '../../src/platform/metrics/metrics.server';
import type { TestApp } from './test-app';

/** The configuration that serves the app's Prometheus metrics on a free port (METRICS_PORT=0). */
export const METRICS_ON_ANY_PORT = { metrics: { port: 0 } } as const;

/**
 * The value of an unlabelled series in the app's `/metrics`, scraped as Prometheus does.
 * The app must have been started with METRICS_ON_ANY_PORT in its configuration.
 */
export async function scrapedValue(t: Pick<TestApp, 'app'>, name: string): Promise<number> {
  const url = t.app.get(MetricsServer).url;
  assert.ok(url, 'the app serves its metrics (config metrics: { port: 0 })');
  const text = await (await fetch(url)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  assert.ok(line, `${name} is in the scrape`);
  return Number(line.slice(name.length + 1));
}
