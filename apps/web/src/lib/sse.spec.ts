import { describe, expect, it } from 'vitest';
import { createSseParser, type SseEvent } from './sse';

describe('createSseParser', () => {
  it('should emit named events split across chunks and ignore comments', () => {
    const events: SseEvent[] = [];
    const parse = createSseParser((e) => events.push(e));
    parse(': keep-alive\n\nevent: tick\ndata: {"a"');
    parse(':1}\n\nevent: tick\r\ndata: {"a":2}\r\n\r\ndata: line1\ndata: line2\n\n');
    expect(events).toEqual([
      { event: 'tick', data: '{"a":1}' },
      { event: 'tick', data: '{"a":2}' },
      { event: 'message', data: 'line1\nline2' },
    ]);
  });
});
