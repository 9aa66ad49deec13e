import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadEnvFile } from '../../src/platform/config/env-file';
import { wantsPrettyLogs } from '../../src/platform/logging/log-stream';

describe('the developer loop: .env and readable logs', () => {
  it('loads .env into process.env, and a variable of the real environment wins over the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'authgate-env-'));
    try {
      process.env.AUTHGATE_TEST_KEPT = 'from the environment';
      delete process.env.AUTHGATE_TEST_NEW;
      writeFileSync(join(dir, '.env'), 'AUTHGATE_TEST_NEW=from the file\nAUTHGATE_TEST_KEPT=from the file\n');
      assert.deepEqual(loadEnvFile(join(dir, '.env')), ['AUTHGATE_TEST_NEW']);
      assert.equal(process.env.AUTHGATE_TEST_NEW, 'from the file');
      assert.equal(process.env.AUTHGATE_TEST_KEPT, 'from the environment');
      assert.deepEqual(loadEnvFile(join(dir, 'missing.env')), []);
    } finally {
      delete process.env.AUTHGATE_TEST_NEW;
      delete process.env.AUTHGATE_TEST_KEPT;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prints pretty logs only to a terminal outside production; JSON when piped or in production', () => {
    assert.equal(wantsPrettyLogs({ env: 'development', isTty: true }), true);
    assert.equal(wantsPrettyLogs({ env: 'development', isTty: false }), false);
    assert.equal(wantsPrettyLogs({ env: 'production', isTty: true }), false);
  });
});
