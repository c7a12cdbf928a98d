import { errorLogFor } from './queue-error.log.js';

describe(errorLogFor.name, () => {
  it('reports the first error at once, then one line per 30 s counting the ones in between', () => {
    const lines: string[] = [];
    let clock = 0;
    const onError = errorLogFor(
      'scoring',
      (line) => lines.push(line),
      () => clock,
    );

    for (clock = 0; clock < 65_000; clock += 1_000) onError(new Error('connect ECONNREFUSED 127.0.0.1:6380'));

    expect(lines).toEqual([
      'queue scoring: connect ECONNREFUSED 127.0.0.1:6380',
      'queue scoring: connect ECONNREFUSED 127.0.0.1:6380 (29 more since the last report)',
      'queue scoring: connect ECONNREFUSED 127.0.0.1:6380 (29 more since the last report)',
    ]);
  });
});
