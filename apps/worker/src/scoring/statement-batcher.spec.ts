import { type BatchableStatement, StatementBatcher } from './statement-batcher.js';

interface Call {
  car: string;
  value: number;
}

/** A statement whose sends stay open until the test lets them finish, recording what each one carried. */
class HeldStatement implements BatchableStatement<Call, string> {
  readonly sends: string[][] = [];
  private readonly open: (() => void)[] = [];
  failBatches = false;
  failingCar: string | undefined;

  private async hold(cars: string[]): Promise<void> {
    this.sends.push(cars);
    await new Promise<void>((resolve) => this.open.push(resolve));
  }

  async one(input: Call): Promise<string> {
    await this.hold([input.car]);
    if (input.car === this.failingCar) throw new Error(`bad ${input.car}`);
    return `${input.car}:${input.value}`;
  }

  async many(inputs: readonly Call[]): Promise<string[]> {
    await this.hold(inputs.map((input) => input.car));
    if (this.failBatches || inputs.some((input) => input.car === this.failingCar)) throw new Error('batch failed');
    return inputs.map((input) => `${input.car}:${input.value}*`);
  }

  key(input: Call): string {
    return input.car;
  }

  /** Lets every open send finish, until none is left open (reruns open new ones). */
  async finishAll(): Promise<void> {
    for (let i = 0; i < 100; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      const next = this.open.shift();
      if (next === undefined) return;
      next();
    }
  }
}

const settle = <T>(promise: Promise<T>): Promise<{ value?: T; error?: string }> =>
  promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }),
  );

describe(StatementBatcher.name, () => {
  it('sends a call alone and at once when no statement is in flight', async () => {
    const statement = new HeldStatement();
    const sut = new StatementBatcher(statement, 8);
    const result = sut.run({ car: 'a', value: 1 });
    expect(statement.sends).toEqual([['a']]);
    await statement.finishAll();
    await expect(result).resolves.toBe('a:1');
  });

  it('collects the calls made while one is in flight and sends them as one statement when it returns', async () => {
    const statement = new HeldStatement();
    const sizes: number[] = [];
    const sut = new StatementBatcher(statement, 8, (size) => sizes.push(size));
    const results = [sut.run({ car: 'a', value: 1 }), sut.run({ car: 'b', value: 2 }), sut.run({ car: 'c', value: 3 })];
    expect(statement.sends).toEqual([['a']]);
    await statement.finishAll();
    expect(await Promise.all(results)).toEqual(['a:1', 'b:2*', 'c:3*']);
    expect(statement.sends).toEqual([['a'], ['b', 'c']]);
    expect(sizes).toEqual([1, 2]);
  });

  it('bounds a batch by maxBatch and keeps two calls of one key out of one batch, in arrival order', async () => {
    const statement = new HeldStatement();
    const sut = new StatementBatcher(statement, 2);
    const cars = ['first', 'a', 'a', 'b', 'c', 'd'];
    const results = cars.map((car, value) => sut.run({ car, value }));
    await statement.finishAll();
    await Promise.all(results);
    expect(statement.sends).toEqual([['first'], ['a', 'b'], ['a', 'c'], ['d']]);
  });

  it('reruns a failed batch one by one: the bad call gets its own error, the others their results', async () => {
    const statement = new HeldStatement();
    statement.failingCar = 'b';
    const sut = new StatementBatcher(statement, 8);
    const results = ['first', 'a', 'b', 'c'].map((car, value) => settle(sut.run({ car, value })));
    await statement.finishAll();
    expect(await Promise.all(results)).toEqual([{ value: 'first:0' }, { value: 'a:1' }, { error: 'bad b' }, { value: 'c:3' }]);
    expect(statement.sends).toEqual([['first'], ['a', 'b', 'c'], ['a'], ['b'], ['c']]);
  });

  it('keeps serving after a failure, and a failed lone call is not retried', async () => {
    const statement = new HeldStatement();
    statement.failingCar = 'a';
    const sut = new StatementBatcher(statement, 8);
    const failed = settle(sut.run({ car: 'a', value: 1 }));
    await statement.finishAll();
    expect(await failed).toEqual({ error: 'bad a' });
    const later = sut.run({ car: 'b', value: 2 });
    await statement.finishAll();
    await expect(later).resolves.toBe('b:2');
    expect(statement.sends).toEqual([['a'], ['b']]);
  });

  it('refuses a maxBatch below 1', () => {
    expect(() => new StatementBatcher(new HeldStatement(), 0)).toThrow('maxBatch');
  });

  it('sends up to maxInFlight statements at once before calls wait and batch; with Infinity every call goes alone at once', async () => {
    const two = new HeldStatement();
    const sutTwo = new StatementBatcher(two, 8, undefined, 2);
    const results = ['a', 'b', 'c', 'd'].map((car, value) => sutTwo.run({ car, value }));
    expect(two.sends).toEqual([['a'], ['b']]);
    await two.finishAll();
    await Promise.all(results);
    expect(two.sends).toEqual([['a'], ['b'], ['c', 'd']]);

    const never = new HeldStatement();
    const sutNever = new StatementBatcher(never, 8, undefined, Infinity);
    const alone = ['a', 'b', 'c'].map((car, value) => sutNever.run({ car, value }));
    expect(never.sends).toEqual([['a'], ['b'], ['c']]);
    await never.finishAll();
    expect(await Promise.all(alone)).toEqual(['a:0', 'b:1', 'c:2']);
  });
});
