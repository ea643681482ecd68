// The scheduler's policy with a fake clock and a model fed by a fake connection: when rounds come,
// how they back off, and when they stop.
import assert from 'node:assert/strict';
import type { DnsResolver } from '../../src/core/dns/types';
import type { SslCertificate } from '../../src/core/gcp/types';
import { ALL_PARTS, ProjectModel } from '../../src/core/model/projectModel';
import { DEFAULT_ROUND_POLICY, nextRoundDelay, RefreshScheduler, type SchedulerClock } from '../../src/core/model/refreshScheduler';

class FakeClock implements SchedulerClock {
  time = 0;
  timers: { at: number; callback: () => void; id: number }[] = [];
  private nextId = 1;
  now = () => this.time;
  setTimeout = (callback: () => void, ms: number) => {
    const id = this.nextId++;
    this.timers.push({ at: this.time + ms, callback, id });
    return id;
  };
  clearTimeout = (id: unknown) => {
    this.timers = this.timers.filter((t) => t.id !== id);
  };
  /** Moves time to the next timer and runs it; returns its delay. */
  async next(): Promise<number | undefined> {
    this.timers.sort((a, b) => a.at - b.at);
    const timer = this.timers.shift();
    if (!timer) return undefined;
    const delay = timer.at - this.time;
    this.time = timer.at;
    timer.callback();
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    return delay;
  }
}

function fakeProject() {
  const state = { status: 'PROVISIONING', reads: [] as string[] };
  const certificate = (): SslCertificate => ({ name: 'c', type: 'MANAGED', managed: { status: state.status, domains: ['a.example.com'] } });
  const compute = {
    listAll: async (kind: string) => {
      state.reads.push(kind);
      return kind === 'sslCertificates' ? [certificate()] : [];
    },
    listNetworkEndpointGroupsEverywhere: async function* () {
      state.reads.push('networkEndpointGroups');
      yield* [];
    },
    listOperations: async () => {
      state.reads.push('operations');
      return [];
    },
  };
  const run = {
    listServices: async () => {
      state.reads.push('services');
      return [];
    },
    listRegions: async () => [],
  };
  const resolver: DnsResolver = { resolve: async () => ({ kind: 'nodata' }) as never };
  const model = new ProjectModel({
    connect: () => ({ project: 'p', compute: compute as never, run: run as never }),
    resolver: () => resolver,
  });
  return { state, model };
}

describe('refresh scheduler', () => {
  it('starts sooner while a view shows the pending state, and doubles up to the longest delay', () => {
    assert.equal(nextRoundDelay(DEFAULT_ROUND_POLICY, { visible: true, unchangedRounds: 0 }), 10_000);
    assert.equal(nextRoundDelay(DEFAULT_ROUND_POLICY, { visible: false, unchangedRounds: 0 }), 30_000);
    assert.equal(nextRoundDelay(DEFAULT_ROUND_POLICY, { visible: true, unchangedRounds: 2 }), 40_000);
    assert.equal(nextRoundDelay(DEFAULT_ROUND_POLICY, { visible: true, unchangedRounds: 99 }), 300_000);
  });

  it('reads certificates, rules and operations while a certificate provisions, backing off while nothing changes', async () => {
    const { state, model } = fakeProject();
    const clock = new FakeClock();
    const scheduler = new RefreshScheduler(model, DEFAULT_ROUND_POLICY, clock);
    let visible = true;
    model.watch({ visible: () => visible });
    await model.read(ALL_PARTS);
    assert.equal(clock.timers.length, 1, 'one round planned');
    state.reads.length = 0;
    assert.equal(await clock.next(), 10_000);
    assert.deepEqual(state.reads.sort(), ['forwardingRules', 'operations', 'sslCertificates']);
    assert.equal(await clock.next(), 20_000, 'nothing changed: twice as long');
    visible = false;
    model.interestsUpdated();
    assert.equal(await clock.next(), 40_000, 'a round already planned keeps its time');
    assert.equal(await clock.next(), 240_000, 'hidden: from the slower start, doubled three times');
    scheduler.dispose();
  });

  it('comes back at once after a change, and stops when nothing is pending', async () => {
    const { state, model } = fakeProject();
    const clock = new FakeClock();
    const scheduler = new RefreshScheduler(model, DEFAULT_ROUND_POLICY, clock);
    model.watch({ visible: () => true });
    await model.read(ALL_PARTS);
    await clock.next();
    await clock.next();
    state.status = 'ACTIVE';
    assert.equal(await clock.next(), 40_000);
    assert.equal(model.certificatesPending, false);
    assert.equal(clock.timers.length, 0, 'ACTIVE: no more rounds');
    assert.equal(scheduler.nextRoundAt, undefined);
    scheduler.dispose();
  });

  it('keeps polling while a reader waits on something, even with every certificate ACTIVE', async () => {
    const { state, model } = fakeProject();
    state.status = 'ACTIVE';
    const clock = new FakeClock();
    const scheduler = new RefreshScheduler(model, DEFAULT_ROUND_POLICY, clock);
    let waiting = true;
    model.watch({ visible: () => false, pending: () => waiting });
    await model.read(ALL_PARTS);
    assert.equal(await clock.next(), 30_000);
    waiting = false;
    model.interestsUpdated();
    await clock.next();
    assert.equal(clock.timers.length, 0);
    scheduler.dispose();
  });

  it('holds rounds once the window has been in the background a while, and runs the overdue one on focus', async () => {
    const { state, model } = fakeProject();
    const clock = new FakeClock();
    const scheduler = new RefreshScheduler(model, { ...DEFAULT_ROUND_POLICY, unfocusedPauseMs: 60_000 }, clock);
    model.watch({ visible: () => false });
    await model.read(ALL_PARTS);
    scheduler.setFocused(false);
    state.reads.length = 0;
    await clock.next(); // 30 s: still within the pause threshold, the round runs
    assert.deepEqual(state.reads.length, 3);
    state.reads.length = 0;
    await clock.next(); // 90 s in the background: held
    assert.deepEqual(state.reads, []);
    assert.equal(clock.timers.length, 0, 'nothing planned while held');
    scheduler.setFocused(true);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(state.reads.length, 3, 'the overdue round runs on focus');
    scheduler.dispose();
  });
});
