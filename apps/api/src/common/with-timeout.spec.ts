import { TimeoutError, withTimeout } from './with-timeout.js';

describe(withTimeout.name, () => {
  it('answers what the work answers when it is in time', async () => {
    await expect(withTimeout(Promise.resolve(42), 50, 'the answer')).resolves.toBe(42);
    await expect(withTimeout(Promise.reject(new Error('refused')), 50, 'the answer')).rejects.toThrow('refused');
  });

  it('rejects with a TimeoutError naming what did not answer, and the work failing later changes nothing', async () => {
    let fail: (error: Error) => void = () => undefined;
    const late = new Promise<number>((_, reject) => (fail = reject));

    const outcome = withTimeout(late, 10, 'the queue');

    await expect(outcome).rejects.toThrow(new TimeoutError('the queue', 10));
    await expect(outcome).rejects.toThrow('the queue did not answer within 10 ms');
    fail(new Error('too late'));
  });
});
