import type { WindowCounts } from './request-rate.policy.js';
import { WindowHitCoalescer } from './window-hit.coalescer.js';

/** A counter as Redis keeps it, whose calls answer only when the test lets them. */
class FakeCounter {
  value = 0;
  readonly calls: number[] = [];
  private readonly pending: (() => void)[] = [];

  readonly add = (hits: number): Promise<WindowCounts | null> => {
    this.calls.push(hits);
    return new Promise((resolve) => {
      this.pending.push(() => {
        this.value += hits;
        resolve({ previous: 7, current: this.value });
      });
    });
  };

  /** Answers the oldest call in flight, then lets the coalescer send what waited. */
  async answer(): Promise<void> {
    this.pending.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe(WindowHitCoalescer.name, () => {
  it('sends a hit at once when nothing is in flight for its counter', async () => {
    const sut = new WindowHitCoalescer();
    const counter = new FakeCounter();

    const hit = sut.hit('c', counter.add);
    expect(counter.calls).toEqual([1]);
    await counter.answer();
    await expect(hit).resolves.toEqual({ previous: 7, current: 1 });
  });

  it('sends the hits that arrive during a call as one increment after it, each with its own count', async () => {
    const sut = new WindowHitCoalescer();
    const counter = new FakeCounter();

    const first = sut.hit('c', counter.add);
    const waiting = [sut.hit('c', counter.add), sut.hit('c', counter.add), sut.hit('c', counter.add)];
    expect(counter.calls).toEqual([1]);
    await counter.answer();
    expect(counter.calls).toEqual([1, 3]);
    await counter.answer();

    await expect(first).resolves.toEqual({ previous: 7, current: 1 });
    expect(await Promise.all(waiting)).toEqual([2, 3, 4].map((current) => ({ previous: 7, current })));
    expect(counter.value).toBe(4);
    // Nothing in flight any more: the next hit goes out at once again.
    void sut.hit('c', counter.add);
    expect(counter.calls).toEqual([1, 3, 1]);
  });

  it('does not make one counter wait for another', () => {
    const sut = new WindowHitCoalescer();
    const [a, b] = [new FakeCounter(), new FakeCounter()];

    void sut.hit('a', a.add);
    void sut.hit('b', b.add);
    expect([a.calls, b.calls]).toEqual([[1], [1]]);
  });

  it('answers null to every hit of a call that was not counted, and still sends the hits that waited', async () => {
    const sut = new WindowHitCoalescer();
    const calls: number[] = [];
    const answers: (WindowCounts | null | Error)[] = [null, new Error('bug'), { previous: 0, current: 2 }];
    let release: () => void = () => undefined;
    const add = (hits: number): Promise<WindowCounts | null> => {
      calls.push(hits);
      const answer = answers.shift() ?? null;
      return new Promise((resolve, reject) => {
        release = () => (answer instanceof Error ? reject(answer) : resolve(answer));
      });
    };
    const tick = () => new Promise((resolve) => setImmediate(resolve));

    const first = sut.hit('c', add);
    const second = [sut.hit('c', add), sut.hit('c', add)];
    release();
    await tick();
    const third = [sut.hit('c', add), sut.hit('c', add)];
    release();
    await tick();
    release();

    await expect(first).resolves.toBeNull();
    expect(await Promise.all(second)).toEqual([null, null]);
    expect(await Promise.all(third)).toEqual([
      { previous: 0, current: 1 },
      { previous: 0, current: 2 },
    ]);
    expect(calls).toEqual([1, 2, 2]);
  });
});
