/**
 * Incremental SSE event splitting. Input arrives in arbitrary pieces; `push` returns the text of the
 * complete events (terminators included) and keeps the unfinished tail for the next call.
 */
export class SseEventSplitter {
  private pending = '';

  push(text: string): string[] {
    const input = this.pending ? this.pending + text : text;
    const events: string[] = [];
    let start = 0;
    for (;;) {
      const end = nextEventEnd(input, start);
      if (end === -1) {
        break;
      }
      events.push(input.slice(start, end));
      start = end;
    }
    this.pending = start === 0 ? input : input.slice(start);
    return events;
  }

  /** An unfinished event is waiting for the rest of its text. */
  hasPending(): boolean {
    return this.pending.length > 0;
  }

  /** What is left when the stream ends without a final blank line. */
  flush(): string {
    const rest = this.pending;
    this.pending = '';
    return rest;
  }
}

/** Index just after the blank line that ends the event starting at `from`, or -1. */
export function nextEventEnd(text: string, from: number): number {
  let i = text.indexOf('\n', from);
  while (i !== -1) {
    const next = text.charCodeAt(i + 1);
    if (next === 10) {
      return i + 2;
    }
    if (next === 13 && text.charCodeAt(i + 2) === 10) {
      return i + 3;
    }
    i = text.indexOf('\n', i + 1);
  }
  return -1;
}

/** The joined `data:` lines of one event. */
export function eventData(event: string): string {
  let data = '';
  for (const raw of event.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.startsWith('data:')) {
      const value = line.charCodeAt(5) === 32 ? line.slice(6) : line.slice(5);
      data = data ? `${data}\n${value}` : value;
    }
  }
  return data;
}
