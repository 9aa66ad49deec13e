import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BoundedMap } from '../../src/platform/bounded-map';

describe('BoundedMap (the verified-token and session caches)', () => {
  it('answers by the exact token text only', () => {
    const cache = new BoundedMap<string, string>(10);
    cache.set('a.b.c', 'claims');
    assert.equal(cache.get('a.b.c'), 'claims');
    assert.equal(cache.get('a.b.C'), undefined);
    assert.equal(cache.get('a.b.c '), undefined);
  });

  it('never holds more than its bound, letting the oldest go first', () => {
    const cache = new BoundedMap<string, number>(3);
    for (let i = 0; i < 5; i++) cache.set(`t${i}`, i);
    assert.equal(cache.size, 3);
    assert.equal(cache.get('t0'), undefined);
    assert.equal(cache.get('t1'), undefined);
    assert.deepEqual([cache.get('t2'), cache.get('t3'), cache.get('t4')], [2, 3, 4]);
  });

  it('counts a rewritten key as the newest', () => {
    const cache = new BoundedMap<string, number>(2);
    cache.set('a', 1).set('b', 2).set('a', 3).set('c', 4);
    assert.deepEqual([...cache.entries()], [['a', 3], ['c', 4]]);
  });
});
