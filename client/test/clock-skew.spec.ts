import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClockSkew } from '../src/clock-skew';

describe('ClockSkew', () => {
  it('is zero until an answer was seen', () => {
    assert.equal(new ClockSkew().skewMs, 0);
  });

  it('measures a tab clock that runs two hours ahead from the Date header', () => {
    const skew = new ClockSkew();
    const server = Date.parse('2026-11-01T12:00:00Z');
    const local = server + 2 * 3_600_000;
    skew.observeDateHeader(new Date(server).toUTCString(), local, local + 40);
    assert.ok(Math.abs(skew.skewMs + 2 * 3_600_000) <= 520, `skew ${skew.skewMs}`);
    assert.ok(Math.abs((skew.toLocal('2026-11-01T12:30:00Z') as number) - (local + 30 * 60_000)) <= 520);
  });

  it('narrows to well under the Date header\'s one-second resolution over several answers', () => {
    const skew = new ClockSkew();
    const trueSkew = 12_345; // server − local
    for (const local of [1_000_000, 1_000_250, 1_000_500, 1_000_730, 1_001_900]) {
      const serverNow = local + trueSkew + 5; // answered 5 ms after sending
      skew.observe(Math.floor(serverNow / 1000) * 1000, local, local + 10);
    }
    assert.ok(Math.abs(skew.skewMs - trueSkew) <= 150, `skew ${skew.skewMs}`);
  });

  it('believes the newest answer when the tab clock jumps (sleep, manual change)', () => {
    const skew = new ClockSkew();
    skew.observe(1_000_000, 1_000_000, 1_000_010);
    skew.observe(1_060_000, 1_060_000 + 600_000, 1_060_000 + 600_010); // the tab jumped 10 minutes ahead
    assert.ok(Math.abs(skew.skewMs + 600_000) <= 520, `skew ${skew.skewMs}`);
  });

  it('ignores unreadable Date headers', () => {
    const skew = new ClockSkew();
    assert.equal(skew.observeDateHeader(null, 0, 1), false);
    assert.equal(skew.observeDateHeader('yesterday-ish', 0, 1), false);
    assert.equal(skew.skewMs, 0);
  });
});
