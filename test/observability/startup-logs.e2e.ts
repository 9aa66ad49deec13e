import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { demoteBootChatter } from '../../src/platform/logging/logger-options';
import { startTestApp, TestApp } from '../support/test-app';

describe('start-up logs', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ captureLogs: true, config: { logLevel: 'info' } });
  });
  after(() => t.close());

  it("keep Nest's per-module and per-route lines out of an info-level start, which shows what matters", () => {
    const contexts = t.logs.map((l) => (JSON.parse(l) as { context?: string }).context);
    assert.ok(contexts.includes('NestApplication'), 'the start itself is logged');
    for (const chatter of ['InstanceLoader', 'RoutesResolver', 'RouterExplorer']) assert.ok(!contexts.includes(chatter), chatter);
  });

  it('demotes that chatter to debug rather than dropping it, and leaves every other line alone', () => {
    const lines: { level: number; context?: string; msg: string }[] = [];
    const logger = pino(
      { level: 'debug', hooks: { logMethod: demoteBootChatter } },
      { write: (s: string) => void lines.push(JSON.parse(s) as { level: number; msg: string }) },
    );
    logger.info({ context: 'RoutesResolver' }, 'AuthController {/api/auth}:');
    logger.info({ context: 'NestApplication' }, 'Nest application successfully started');
    logger.warn({ context: 'RouterExplorer' }, 'a warning stays a warning');
    assert.deepEqual(
      lines.map((l) => [l.level, l.context, l.msg]),
      [
        [20, 'RoutesResolver', 'AuthController {/api/auth}:'],
        [30, 'NestApplication', 'Nest application successfully started'],
        [40, 'RouterExplorer', 'a warning stays a warning'],
      ],
    );
  });
});
