import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QueryFailedError, QueryRunnerAlreadyReleasedError } from 'typeorm';
import { isDatabaseUnavailable } from '../../src/platform/errors/database-unavailable';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable: which errors are a 503 rather than a 500', () => {
  it('reads connection failures, however they surface, as unavailability', () => {
    for (const err of [
      withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
      new Error('Query read timeout'),
      new Error('Client was closed and is not queryable'),
      withCode('terminating connection due to administrator command', '57P01'),
      withCode('the database system is starting up', '57P03'),
      withCode('sorry, too many clients already', '53300'),
      // Issue #14 item 6: a dropped database answered 500 on login, refresh and the workspace login.
      withCode('database "authgate" does not exist', '3D000'),
      new QueryFailedError('SELECT 1', [], withCode('database "authgate" does not exist', '3D000')),
      withCode('password authentication failed for user "authgate"', '28P01'),
      withCode('cannot execute UPDATE in a read-only transaction', '25006'),
      withCode('could not write to file: No space left on device', '53100'),
      withCode('terminating connection due to idle-session timeout', '57P05'),
      // Seen under load while the database stopped: TypeORM released the runner under a query in flight.
      new QueryRunnerAlreadyReleasedError(),
      new QueryFailedError('SELECT 1', [], withCode('read ECONNRESET', 'ECONNRESET')),
      new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')]),
    ]) {
      assert.equal(isDatabaseUnavailable(err), true, String(err));
    }
  });

  it('leaves real query errors alone: they stay 500s and are logged', () => {
    for (const err of [
      new QueryFailedError('SELECT nope', [], withCode('column "nope" does not exist', '42703')),
      withCode('duplicate key value violates unique constraint', '23505'),
      new TypeError('Cannot read properties of undefined'),
    ]) {
      assert.equal(isDatabaseUnavailable(err), false, String(err));
    }
  });
});
