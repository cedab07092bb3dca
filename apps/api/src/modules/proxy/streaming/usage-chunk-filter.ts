import { eventData, SseEventSplitter } from './sse-events';

const USAGE_OBJECT = /"usage"\s*:\s*\{/;

/**
 * Drops the usage-only chunk (`"choices":[]` + a usage object) from an OpenAI stream, for requests where
 * keypool added `include_usage` itself and the client never asked to see it. Whole events pass through
 * as they arrive; only an unfinished trailing event waits for its end.
 */
export class UsageChunkFilter {
  private readonly splitter = new SseEventSplitter();
  /** The hidden chunk's data, for metering. */
  usageData: string | null = null;

  push(text: string): string {
    const events = this.splitter.push(text);
    if (events.length === 0) {
      return '';
    }
    if (events.length === 1) {
      return this.keep(events[0]) ? events[0] : '';
    }
    let out = '';
    for (const event of events) {
      if (this.keep(event)) {
        out += event;
      }
    }
    return out;
  }

  flush(): string {
    const rest = this.splitter.flush();
    return rest && this.keep(rest) ? rest : '';
  }

  private keep(event: string): boolean {
    if (!USAGE_OBJECT.test(event)) {
      return true;
    }
    const data = eventData(event);
    try {
      const parsed = JSON.parse(data) as { choices?: unknown };
      if (Array.isArray(parsed.choices) && parsed.choices.length === 0) {
        this.usageData = data;
        return false;
      }
    } catch {
      // Not JSON: not ours to judge, pass it on.
    }
    return true;
  }
}
