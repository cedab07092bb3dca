import { StringDecoder } from 'node:string_decoder';
import { eventData, SseEventSplitter } from './sse-events';

const USAGE_OBJECT = /"usage"\s*:\s*\{/;
const LF = 0x0a;
const CR = 0x0d;
const USAGE_KEY = Buffer.from('"usage"');
/** How an upstream ends every other chunk once `include_usage` is on (the client did not ask for it). */
const NULL_USAGE_TAIL = ',"usage":null}';
const NULL_USAGE_TAIL_BYTES = Buffer.from(NULL_USAGE_TAIL);

/**
 * Undoes what keypool's own `include_usage` changed in an OpenAI stream, for clients that never asked
 * for it: drops the usage-only chunk (`"choices":[]` + a usage object, kept for metering) and the
 * `"usage":null` member ending the other chunks, so the client gets the stream it would have had.
 * Whole events pass through as they arrive; only an unfinished trailing event waits for its end.
 */
export class UsageChunkFilter {
  private readonly splitter = new SseEventSplitter();
  private readonly decoder = new StringDecoder('utf8');
  /** The decoder holds no partial character (the last chunk ended on a newline). */
  private decoderClean = true;
  /** The hidden chunk's parsed data, for metering. */
  usageEvent: { usage?: unknown } | null = null;

  /**
   * Filters raw upstream bytes. A chunk of whole events is handled as bytes: returned as it came when it
   * has nothing to change, else rebuilt from slices, decoding only the events carrying a usage object.
   */
  pushBytes(chunk: Buffer): Buffer | string {
    if (this.decoderClean && !this.splitter.hasPending() && endsAtEventEnd(chunk)) {
      return chunk.includes(NULL_USAGE_TAIL_BYTES) || hasUsageObject(chunk)
        ? this.filterWholeEvents(chunk)
        : chunk;
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
      return this.keep(events[0]) ? withoutNullUsage(events[0]) : '';
    }
    let out = '';
    for (const event of events) {
      if (this.keep(event)) {
        out += withoutNullUsage(event);
      }
    }
    return out;
  }

  flush(): string {
    const rest = this.splitter.flush();
    return rest && this.keep(rest) ? withoutNullUsage(rest) : '';
  }

  /** `chunk` holds whole events only: drops the usage-only ones and the null usage of the others. */
  private filterWholeEvents(chunk: Buffer): Buffer {
    const kept: Buffer[] = [];
    let changed = false;
    for (let start = 0; start < chunk.length;) {
      const end = nextEventEndInBytes(chunk, start);
      const event = chunk.subarray(start, end);
      start = end;
      if (hasUsageObject(event) && !this.keep(event.toString('utf8'))) {
        changed = true;
        continue;
      }
      const tail = nullUsageTailAt(event);
      if (tail === -1) {
        kept.push(event);
      } else {
        // Keep the closing brace and the event's terminator.
        kept.push(event.subarray(0, tail), event.subarray(tail + NULL_USAGE_TAIL.length - 1));
        changed = true;
      }
    }
    if (!changed) {
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

/** Where `,"usage":null}` ends the event's data (before its terminator), or -1. */
function nullUsageTailAt(event: Buffer): number {
  let dataEnd = event.length;
  while (dataEnd > 0 && (event[dataEnd - 1] === LF || event[dataEnd - 1] === CR)) {
    dataEnd--;
  }
  const at = dataEnd - NULL_USAGE_TAIL_BYTES.length;
  return at >= 0 && event.compare(NULL_USAGE_TAIL_BYTES, 0, NULL_USAGE_TAIL_BYTES.length, at, dataEnd) === 0
    ? at
    : -1;
}

/** `event` without the `,"usage":null` member ending its data, if it has one. */
function withoutNullUsage(event: string): string {
  let dataEnd = event.length;
  while (dataEnd > 0 && (event.charCodeAt(dataEnd - 1) === LF || event.charCodeAt(dataEnd - 1) === CR)) {
    dataEnd--;
  }
  if (!event.endsWith(NULL_USAGE_TAIL, dataEnd)) {
    return event;
  }
  return event.slice(0, dataEnd - NULL_USAGE_TAIL.length) + event.slice(dataEnd - 1);
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
