import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import pino from 'pino';
import { loggerOptions } from '../../src/platform/logging/logger-options';
import { testConfig } from '../support/test-app';

/** The redaction of the app's logger, applied to lines a careless log statement could write. */
describe('log redaction paths', () => {
  it('censors secrets wherever a request, a body or a context object carries them', async () => {
    const options = loggerOptions(testConfig('postgres://unused'), new PassThrough());
    const pinoHttp = options.pinoHttp as { redact: pino.LoggerOptions['redact'] };
    const out = new PassThrough();
    const lines: string[] = [];
    out.on('data', (c: Buffer) => lines.push(c.toString('utf8')));
    const logger = pino({ redact: pinoHttp.redact }, out);
    logger.info({
      req: { headers: { authorization: 'Bearer SECRET-A', cookie: 'sid=SECRET-B' }, body: { password: 'SECRET-C' } },
      res: { headers: { 'set-cookie': 'sid=SECRET-D' } },
      dto: { email: 'a@b.test', password: 'SECRET-E', refreshToken: 'SECRET-F', impersonationToken: 'SECRET-G' },
      user: { passwordHash: 'SECRET-H' },
      result: { token: 'SECRET-I', accessToken: 'SECRET-J' },
      envelope: { AccessToken: 'SECRET-K', Password: 'SECRET-L' },
    });
    await new Promise((r) => setImmediate(r));
    const text = lines.join('');
    assert.match(text, /\[redacted\]/);
    assert.doesNotMatch(text, /SECRET-/);
    assert.match(text, /a@b\.test/, 'only the secrets are censored');
  });
});
