import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { permissionsOf } from '../../src/workspace/workspace-context';

describe('permissionsOf', () => {
  const workspace = {
    roles: [
      { name: 'A', permissions: ['z.key', 'b.key', 'a.key'] },
      { name: 'B', permissions: ['b.key', 'c.key', 'a.key'] },
      { name: 'C', permissions: ['never.granted'] },
    ],
  };

  it('is the sorted, unique union of the permissions of the roles held', () => {
    assert.deepEqual(permissionsOf(workspace, ['B', 'A']), ['a.key', 'b.key', 'c.key', 'z.key']);
  });

  it('grants nothing for roles not held or not defined', () => {
    assert.deepEqual(permissionsOf(workspace, ['Ghost']), []);
    assert.deepEqual(permissionsOf(workspace, []), []);
  });

  it('sorts by code unit, the same on every machine (upper case before lower case)', () => {
    assert.deepEqual(permissionsOf({ roles: [{ name: 'A', permissions: ['b', 'B', 'a', 'A'] }] }, ['A']), ['A', 'B', 'a', 'b']);
  });

  it('tolerates malformed stored roles instead of failing the login', () => {
    assert.deepEqual(permissionsOf({ roles: null as never }, ['A']), []);
    assert.deepEqual(permissionsOf({ roles: [{ name: 'A', permissions: null as never }] }, ['A']), []);
  });
});
