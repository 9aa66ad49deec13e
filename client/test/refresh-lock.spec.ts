import assert from 'node:assert/strict';
import { BroadcastChannel } from 'node:worker_threads';
import { after, describe, it } from 'node:test';
import { BusLease, Timers } from '../src/refresh-lock';
import { BroadcastChannelLike, openTabBus, TabBus } from '../src/tab-bus';

const timers: Timers = { now: () => Date.now(), setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };
const channel = (name: string) => new BroadcastChannel(name) as unknown as BroadcastChannelLike;

describe('the refresh lease without Web Locks (BroadcastChannel between tabs)', () => {
  const buses: TabBus[] = [];
  const tab = (name: string, id: string) => {
    const bus = openTabBus(name, { tabId: id, channel, storage: null, storageEvents: null });
    buses.push(bus);
    return new BusLease(bus, id, timers);
  };
  after(() => buses.forEach((b) => b.close()));

  it('never lets two tabs refresh at the same time, and lets every tab through in the end', async () => {
    const a = tab('lease-1', 'tab-a');
    const b = tab('lease-1', 'tab-b');
    const c = tab('lease-1', 'tab-c');
    let inside = 0;
    let most = 0;
    const ran: string[] = [];
    const task = (name: string) => async () => {
      inside += 1;
      most = Math.max(most, inside);
      await new Promise((r) => setTimeout(r, 15));
      ran.push(name);
      inside -= 1;
    };
    await Promise.all([a, b, c, a, b, c].map((lease, i) => lease.run(task(`${i}`))));
    assert.equal(most, 1);
    assert.equal(ran.length, 6);
  });

  it('lets the smaller tab id go first when two tabs claim at the same moment', async () => {
    const first: string[] = [];
    const x = tab('lease-2', 'tab-2');
    const y = tab('lease-2', 'tab-1');
    await Promise.all([
      x.run(async () => void first.push('tab-2')),
      y.run(async () => void first.push('tab-1')),
    ]);
    assert.deepEqual(first, ['tab-1', 'tab-2']);
  });

  it('hands a failing task\'s error to its caller and still releases the lease', async () => {
    const p = tab('lease-3', 'p');
    const q = tab('lease-3', 'q');
    await assert.rejects(p.run(async () => Promise.reject(new Error('network down'))), /network down/);
    assert.equal(await q.run(async () => 'ran'), 'ran');
  });
});
