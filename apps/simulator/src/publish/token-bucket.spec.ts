import { type Clock, TokenBucket } from './token-bucket.js';

class FakeClock implements Clock {
  time = 0;
  now(): number {
    return this.time;
  }
  async sleep(ms: number): Promise<void> {
    this.time += ms;
  }
}

describe(TokenBucket.name, () => {
  it('lets a burst through, then paces takes at the rate', async () => {
    const clock = new FakeClock();
    const sut = new TokenBucket(100, clock, 5);

    for (let i = 0; i < 5; i++) await sut.take();
    expect(clock.time).toBe(0);
    for (let i = 0; i < 100; i++) await sut.take();
    expect(clock.time).toBeCloseTo(1000, 6);
  });

  it('refills while idle, up to its burst only', async () => {
    const clock = new FakeClock();
    const sut = new TokenBucket(10, clock, 2);
    await sut.take();
    await sut.take();
    clock.time += 60_000;

    await sut.take();
    await sut.take();
    const before = clock.time;
    await sut.take();
    expect(clock.time - before).toBeCloseTo(100, 6);
  });
});
