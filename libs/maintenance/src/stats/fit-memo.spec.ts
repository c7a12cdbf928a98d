import { FitMemo } from './fit-memo.js';

const points = (...ys: number[]): { x: number; y: number }[] => ys.map((y, x) => ({ x, y }));

describe(FitMemo.name, () => {
  it('answers only for the very same input and level', () => {
    const sut = new FitMemo<string>(10);
    const pts = points(1, 2, 3);
    sut.set(sut.keyOf(pts, 0.9), pts, 0.9, 'fit');
    expect(sut.get(sut.keyOf(points(1, 2, 3), 0.9), points(1, 2, 3), 0.9)).toBe('fit');
    expect(sut.get(sut.keyOf(pts, 0.95), pts, 0.95)).toBeUndefined();
    expect(sut.get(sut.keyOf(points(1, 2, 3.0000001), 0.9), points(1, 2, 3.0000001), 0.9)).toBeUndefined();
    expect(sut.get(sut.keyOf(points(1, 2), 0.9), points(1, 2), 0.9)).toBeUndefined();
  });

  it('keeps entries whose keys collide apart by their input', () => {
    const sut = new FitMemo<string>(10);
    const [a, b] = [points(1, 2), points(3, 4)];
    sut.set(7, a, 0.9, 'a');
    sut.set(7, b, 0.9, 'b');
    expect(sut.get(7, a, 0.9)).toBe('a');
    expect(sut.get(7, b, 0.9)).toBe('b');
    expect(sut.get(7, points(5, 6), 0.9)).toBeUndefined();
  });

  it('drops the least recently used entries beyond its bound', () => {
    const sut = new FitMemo<number>(2);
    const [a, b, c] = [points(1), points(2), points(3)];
    sut.set(sut.keyOf(a, 1), a, 1, 1);
    sut.set(sut.keyOf(b, 1), b, 1, 2);
    expect(sut.get(sut.keyOf(a, 1), a, 1)).toBe(1); // a is now the most recently used
    sut.set(sut.keyOf(c, 1), c, 1, 3);
    expect(sut.size).toBe(2);
    expect(sut.get(sut.keyOf(b, 1), b, 1)).toBeUndefined();
    expect(sut.get(sut.keyOf(a, 1), a, 1)).toBe(1);
    expect(sut.get(sut.keyOf(c, 1), c, 1)).toBe(3);
  });
});
