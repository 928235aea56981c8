import { pacedLoad } from './paced-load';

/** A send that records when each index started and how many were in flight, and takes `ms`. */
function recorder(ms: number) {
  const starts = new Map<number, number>();
  const load = { inFlight: 0, most: 0 };
  const send = async (i: number) => {
    starts.set(i, Date.now());
    load.most = Math.max(load.most, ++load.inFlight);
    await new Promise((resolve) => setTimeout(resolve, ms));
    load.inFlight--;
  };
  return { starts, load, send };
}

/** Runs the load to its end on fake timers; returns the start times relative to the load's start. */
async function run(count: number, options: { concurrency: number; rate?: number }, send: (i: number) => Promise<void>, starts: Map<number, number>) {
  const t0 = Date.now();
  const done = pacedLoad(count, options, send);
  await jest.runAllTimersAsync();
  await done;
  return [...starts].sort(([a], [b]) => a - b).map(([, at]) => at - t0);
}

describe('pacedLoad', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('sends every index once, never more than `concurrency` at a time', async () => {
    const { starts, load, send } = recorder(30);
    await run(25, { concurrency: 4 }, send, starts);
    expect([...starts.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(load.most).toBe(4);
  });

  it('without a rate, does not wait between sends', async () => {
    const { starts, send } = recorder(10);
    expect(await run(4, { concurrency: 1 }, send, starts)).toEqual([0, 10, 20, 30]);
  });

  it('with a rate, starts send i at i / rate seconds', async () => {
    const { starts, send } = recorder(1);
    expect(await run(6, { concurrency: 3, rate: 50 }, send, starts)).toEqual([0, 20, 40, 60, 80, 100]);
  });

  it('behind the schedule (slow answers), sends at once and does not drift', async () => {
    const { starts, send } = recorder(30);
    // 100 per second from one worker whose sends take 30 ms: every send is already due.
    expect(await run(4, { concurrency: 1, rate: 100 }, send, starts)).toEqual([0, 30, 60, 90]);
    const again = recorder(30);
    // Back on schedule once the slow sends are over: send 3 (due at 90 ms at 33/s) waits for its time.
    const slowThenFast = async (i: number) => (i < 2 ? again.send(i) : (again.starts.set(i, Date.now()), Promise.resolve()));
    expect(await run(4, { concurrency: 1, rate: 1000 / 30 }, slowThenFast, again.starts)).toEqual([0, 30, 60, 90]);
  });

  it('rejects with a failed send', async () => {
    const done = pacedLoad(3, { concurrency: 1 }, (i) => (i === 1 ? Promise.reject(new Error('pay failed')) : Promise.resolve()));
    await expect(done).rejects.toThrow('pay failed');
  });

  it('starts no send after one failed, in any worker', async () => {
    const sent: number[] = [];
    const send = async (i: number) => {
      sent.push(i);
      if (i === 2) throw new Error('pay failed'); // at once, while 0, 1 and 3 are still in flight
      await new Promise((resolve) => setTimeout(resolve, 10));
    };
    const done = pacedLoad(100, { concurrency: 4 }, send);
    const settled = expect(done).rejects.toThrow('pay failed');
    await jest.runAllTimersAsync();
    await settled;
    expect(sent).toEqual([0, 1, 2, 3]); // the four started before send 2 failed, and nothing after
  });

  it('sends nothing for a count of 0', async () => {
    const send = jest.fn(() => Promise.resolve());
    await pacedLoad(0, { concurrency: 4, rate: 10 }, send);
    expect(send).not.toHaveBeenCalled();
  });
});
