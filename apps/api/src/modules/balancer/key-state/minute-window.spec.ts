import { describe, expect, it } from 'vitest';
import { MinuteWindow } from './minute-window';

describe(MinuteWindow.name, () => {
  it('should count and sum the events still in the window', () => {
    const w = new MinuteWindow();
    w.push(1_000, 5);
    w.push(2_000, 7);
    w.push(3_000, 11);
    expect([w.count, w.sum, w.oldest()]).toEqual([3, 23, 1_000]);
    expect(w.expire(2_000)).toBe(true);
    expect([w.count, w.sum, w.oldest()]).toEqual([1, 11, 3_000]);
    expect(w.expire(2_500)).toBe(false);
  });

  it('should read as empty once everything expired', () => {
    const w = new MinuteWindow();
    w.push(1, 1);
    w.expire(10);
    expect([w.count, w.sum, w.oldest()]).toEqual([0, 0, null]);
    w.push(20, 2);
    expect([w.count, w.sum, w.oldest()]).toEqual([1, 2, 20]);
  });

  it('should stay exact across compactions of a long window', () => {
    const w = new MinuteWindow();
    let expected = 0;
    for (let t = 1; t <= 10_000; t++) {
      w.push(t, t % 3);
      w.expire(t - 100);
    }
    for (let t = 9_901; t <= 10_000; t++) {
      expected += t % 3;
    }
    expect([w.count, w.sum, w.oldest()]).toEqual([100, expected, 9_901]);
  });
});
