import { describe, expect, it } from 'vitest';
import { encodeRow } from './json-batch-insert';
import { JsonRowBuffer } from './json-row-buffer';

describe(JsonRowBuffer.name, () => {
  it('should give back the rows pushed as one JSON array', () => {
    const rows = new JsonRowBuffer();
    rows.push(encodeRow([1, 'a', null, true]));
    rows.push(encodeRow([2, 'b', 3.5, false]));

    expect(rows.count).toBe(2);
    expect(JSON.parse(rows.arrayText())).toEqual([
      [1, 'a', null, true],
      [2, 'b', 3.5, false],
    ]);
  });

  it('should give back any range of rows, ranges past the end ending at the last row', () => {
    const rows = new JsonRowBuffer();
    for (let i = 0; i < 5; i++) {
      rows.push(encodeRow([i]));
    }

    expect(JSON.parse(rows.arrayText(1, 3))).toEqual([[1], [2]]);
    expect(JSON.parse(rows.arrayText(3, 10))).toEqual([[3], [4]]);
    expect(rows.arrayText(5, 10)).toBe('[]');
    expect(new JsonRowBuffer().arrayText()).toBe('[]');
  });

  it('should keep text that is not ASCII, and rows larger than its first allocation, intact', () => {
    const rows = new JsonRowBuffer(16);
    const text = 'ünïcødé ✓ 日本語 🎉 '.repeat(50);
    rows.push(encodeRow([text, 'quote " and \\ backslash']));
    rows.push(encodeRow(['second']));

    expect(JSON.parse(rows.arrayText())).toEqual([[text, 'quote " and \\ backslash'], ['second']]);
  });
});
