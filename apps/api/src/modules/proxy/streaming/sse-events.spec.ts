import { describe, expect, it } from 'vitest';
import { eventData, SseEventSplitter } from './sse-events';
import { TickCoalescer } from './tick-coalescer';
import { UsageChunkFilter } from './usage-chunk-filter';

describe(SseEventSplitter.name, () => {
  it('should return whole events whatever the chunk boundaries', () => {
    const stream = 'data: {"a":1}\n\ndata: {"b":2}\r\n\r\nevent: x\ndata: y\n\n';
    for (let cut = 1; cut < stream.length; cut++) {
      const splitter = new SseEventSplitter();
      const events = [...splitter.push(stream.slice(0, cut)), ...splitter.push(stream.slice(cut))];
      expect(events).toEqual(['data: {"a":1}\n\n', 'data: {"b":2}\r\n\r\n', 'event: x\ndata: y\n\n']);
      expect(splitter.flush()).toBe('');
    }
  });

  it('should keep an unterminated tail for flush', () => {
    const splitter = new SseEventSplitter();
    expect(splitter.push('data: 1\n\ndata: 2')).toEqual(['data: 1\n\n']);
    expect(splitter.flush()).toBe('data: 2');
  });

  it('should join multi-line data', () => {
    expect(eventData('event: e\ndata: a\ndata:b\r\n\r\n')).toBe('a\nb');
  });
});

describe(UsageChunkFilter.name, () => {
  const content = 'data: {"choices":[{"delta":{"content":"hi"}}],"usage":null}\n\n';
  /** What the client sees of a chunk: no `"usage":null` it never asked for. */
  const shown = (event: string) => event.replace(',"usage":null}', '}');
  const usage = 'data: {"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":5}}\n\n';
  const done = 'data: [DONE]\n\n';

  it('should drop only the usage-only chunk, across any chunk boundary', () => {
    const stream = content + usage + done;
    for (let cut = 1; cut < stream.length; cut += 7) {
      const filter = new UsageChunkFilter();
      const out = filter.push(stream.slice(0, cut)) + filter.push(stream.slice(cut)) + filter.flush();
      expect(out).toBe(shown(content) + done);
      expect(filter.hiddenUsage()).toMatchObject({ prompt_tokens: 3 });
    }
  });

  it('should give the same bytes from raw chunks, cut anywhere, multi-byte characters included', () => {
    const accented =
      'data: {"choices":[{"delta":{"content":"h\u00e9llo \u2014 \u{1F600}"}}],"usage":null}\n\n';
    const bytes = Buffer.from(content + accented + usage + accented + done);
    for (let cut = 1; cut < bytes.length; cut += 3) {
      for (const second of [cut + 1, cut + 17, bytes.length]) {
        const filter = new UsageChunkFilter();
        const parts = [bytes.subarray(0, cut), bytes.subarray(cut, second), bytes.subarray(second)];
        const out = relayed(filter, parts, true);
        expect(out?.toString()).toBe(shown(content) + shown(accented) + shown(accented) + done);
        expect(filter.hiddenUsage()).toMatchObject({ prompt_tokens: 3 });
      }
    }
  });

  it('should hand back whole events with nothing to change as the same bytes', () => {
    const filter = new UsageChunkFilter();
    const chunk = Buffer.from(shown(content) + shown(content) + done);
    expect(relayed(filter, [chunk])).toBe(chunk);
  });

  it('should drop the null usage member only where it ends an event', () => {
    const filter = new UsageChunkFilter();
    const crlf = content.replace('\n\n', '\r\n\r\n');
    const quoted = 'data: {"choices":[{"delta":{"content":"say ,\\"usage\\":null} here"}}]}\n\n';
    const out = relayed(filter, [Buffer.from(content + crlf + quoted)]);
    expect(out?.toString()).toBe(shown(content) + shown(crlf) + quoted);
    expect(JSON.parse(shown(content).slice('data: '.length))).toEqual({
      choices: [{ delta: { content: 'hi' } }],
    });
  });

  it('should drop the usage-only event from a chunk of whole events and pass the others as bytes', () => {
    const crlfUsage = usage.replace('\n\n', '\r\n\r\n');
    for (const hidden of [usage, crlfUsage]) {
      const filter = new UsageChunkFilter();
      const out = relayed(filter, [Buffer.from(content + hidden + done)]);
      expect(out?.toString()).toBe(shown(content) + done);
      expect(filter.hiddenUsage()).toMatchObject({ completion_tokens: 5 });
    }
    const alone = new UsageChunkFilter();
    expect(relayed(alone, [Buffer.from(usage)], true)).toBeNull();
  });

  it('should still cut the null usage of an event whose text quotes a usage object', () => {
    const quoting = 'data: {"choices":[{"delta":{"content":"\\"usage\\":{}"}}],"usage":null}\n\n';
    const out = relayed(new UsageChunkFilter(), [Buffer.from(quoting + done)]);
    expect(out?.toString()).toBe(shown(quoting) + done);
  });

  it('should hide a usage-only chunk written with spaces or over two data lines', () => {
    const spaced = 'data: {"choices": [ ], "usage": {"prompt_tokens": 7}}\n\n';
    const split = 'data: {"choices":[],\ndata: "usage":{"prompt_tokens":8,\ndata: "total_tokens":9}}\n\n';
    for (const [event, tokens] of [
      [spaced, 7],
      [split, 8],
    ] as const) {
      const filter = new UsageChunkFilter();
      expect(relayed(filter, [Buffer.from(content + event + done)])?.toString()).toBe(shown(content) + done);
      expect(filter.hiddenUsage()).toMatchObject({ prompt_tokens: tokens });
    }
  });

  it('should pass a content chunk that also carries usage', () => {
    const both = 'data: {"choices":[{"delta":{}}],"usage":{"prompt_tokens":1}}\n\n';
    const filter = new UsageChunkFilter();
    expect(filter.push(both)).toBe(both);
    const bytes = Buffer.from(both);
    expect(relayed(new UsageChunkFilter(), [bytes])).toBe(bytes);
  });
});

/** What the filter hands on for `parts` (and the stream's end, if `end`), as one buffer; null for nothing. */
function relayed(filter: UsageChunkFilter, parts: Buffer[], end = false): Buffer | null {
  const out = new TickCoalescer(() => undefined);
  for (const part of parts) {
    filter.pushBytes(part, out);
  }
  if (end) {
    filter.endBytes(out);
  }
  return out.take();
}
