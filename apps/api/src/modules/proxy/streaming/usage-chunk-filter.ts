import { StringDecoder } from 'node:string_decoder';
import { eventData, SseEventSplitter } from './sse-events';

const USAGE_OBJECT = /"usage"\s*:\s*\{/;
const LF = 0x0a;
const CR = 0x0d;
const USAGE_KEY = Buffer.from('"usage"');

/**
 * Drops the usage-only chunk (`"choices":[]` + a usage object) from an OpenAI stream, for requests where
 * keypool added `include_usage` itself and the client never asked to see it. Whole events pass through
 * as they arrive; only an unfinished trailing event waits for its end.
 */
export class UsageChunkFilter {
  private readonly splitter = new SseEventSplitter();
  private readonly decoder = new StringDecoder('utf8');
  /** The decoder holds no partial character (the last chunk ended on a newline). */
  private decoderClean = true;
  /** The hidden chunk's parsed data, for metering. */
  usageEvent: { usage?: unknown } | null = null;

  /**
   * Filters raw upstream bytes. A chunk made of whole events none of which carries a usage object is
   * returned as it came (no decode, no re-encode): the common case for every chunk but the last. Whole
   * events with a usage object are judged one by one, decoding only those events.
   */
  pushBytes(chunk: Buffer): Buffer | string {
    if (this.decoderClean && !this.splitter.hasPending() && endsAtEventEnd(chunk)) {
      return hasUsageObject(chunk) ? this.filterWholeEvents(chunk) : chunk;
    }
    this.decoderClean = chunk.length > 0 && chunk[chunk.length - 1] === LF;
    return this.push(this.decoder.write(chunk));
  }

  /** The end of the byte stream: whatever the decoder and the splitter still hold, filtered. */
  endBytes(): string {
    return this.push(this.decoder.end()) + this.flush();
  }

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

  /** `chunk` holds whole events only: drops the usage-only ones, passes the rest as the same bytes. */
  private filterWholeEvents(chunk: Buffer): Buffer {
    const kept: Buffer[] = [];
    let dropped = false;
    for (let start = 0; start < chunk.length;) {
      const end = nextEventEndInBytes(chunk, start);
      const event = chunk.subarray(start, end);
      if (hasUsageObject(event) && !this.keep(event.toString('utf8'))) {
        dropped = true;
      } else {
        kept.push(event);
      }
      start = end;
    }
    if (!dropped) {
      return chunk;
    }
    return kept.length === 1 ? kept[0] : Buffer.concat(kept);
  }

  private keep(event: string): boolean {
    if (!USAGE_OBJECT.test(event)) {
      return true;
    }
    const data = eventData(event);
    try {
      const parsed = JSON.parse(data) as { choices?: unknown; usage?: unknown };
      if (Array.isArray(parsed.choices) && parsed.choices.length === 0) {
        this.usageEvent = parsed;
        return false;
      }
    } catch {
      // Not JSON: not ours to judge, pass it on.
    }
    return true;
  }
}

/** The bytes end with a blank line (`\n\n` or `\n\r\n`), so they hold whole events only. */
function endsAtEventEnd(chunk: Buffer): boolean {
  const n = chunk.length;
  return (
    n >= 2 &&
    chunk[n - 1] === LF &&
    (chunk[n - 2] === LF || (n >= 3 && chunk[n - 2] === CR && chunk[n - 3] === LF))
  );
}

/** Index just after the blank line ending the event that starts at `from` (the buffer's end if none). */
function nextEventEndInBytes(chunk: Buffer, from: number): number {
  let i = chunk.indexOf(LF, from);
  while (i !== -1) {
    if (chunk[i + 1] === LF) {
      return i + 2;
    }
    if (chunk[i + 1] === CR && chunk[i + 2] === LF) {
      return i + 3;
    }
    i = chunk.indexOf(LF, i + 1);
  }
  return chunk.length;
}

/** Byte-level `USAGE_OBJECT`: `"usage"`, optional JSON whitespace, `:`, optional whitespace, `{`. */
function hasUsageObject(chunk: Buffer): boolean {
  let at = chunk.indexOf(USAGE_KEY);
  while (at !== -1) {
    let i = skipJsonSpace(chunk, at + USAGE_KEY.length);
    if (chunk[i] === 0x3a) {
      i = skipJsonSpace(chunk, i + 1);
      if (chunk[i] === 0x7b) {
        return true;
      }
    }
    at = chunk.indexOf(USAGE_KEY, at + 1);
  }
  return false;
}

function skipJsonSpace(chunk: Buffer, from: number): number {
  let i = from;
  while (i < chunk.length && (chunk[i] === 0x20 || chunk[i] === 0x09 || chunk[i] === LF || chunk[i] === CR)) {
    i++;
  }
  return i;
}
