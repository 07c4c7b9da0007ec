import { expect } from 'chai';
import { createQuietGate } from '../src/effects/quiet-gate';

describe('quiet gate: background documents yield to requests', () => {
  it('when a request is in flight, then background work waits until it has been quiet for the set time', async () => {
    const gate = createQuietGate({ quietMs: 80, maxWaitMs: 5000 });
    const leave = gate.enter();
    const t0 = Date.now();
    let startedAt = 0;
    const waiting = gate.whenQuiet(t0).then(() => (startedAt = Date.now()));
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(startedAt, 'started while the request was in flight').to.equal(0);
    leave();
    const leftAt = Date.now();
    await waiting;
    expect(startedAt - leftAt).to.be.at.least(75).and.below(1000);
  });

  it('when requests never stop, then background work starts at the latest after the longest wait', async () => {
    const gate = createQuietGate({ quietMs: 80, maxWaitMs: 300 });
    gate.enter();
    const t0 = Date.now();
    await gate.whenQuiet(t0);
    expect(Date.now() - t0).to.be.at.least(295).and.below(2000);
  });

  it('when a drain asks, then background work starts at once', async () => {
    const gate = createQuietGate({ quietMs: 80, maxWaitMs: 60_000 });
    gate.enter();
    const t0 = Date.now();
    let stop = false;
    setTimeout(() => (stop = true), 50);
    await gate.whenQuiet(t0, () => stop);
    expect(Date.now() - t0).to.be.below(1000);
  });
});
