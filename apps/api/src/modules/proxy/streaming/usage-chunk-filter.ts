import { StringDecoder } from 'node:string_decoder';
import { objectAfterKey } from '../metering/json-scan';
import { sub } from '../metering/usage';
import { eventData, SseEventSplitter } from './sse-events';
import type { ByteSink } from './tick-coalescer';

const USAGE_OBJECT = /"usage"\s*:\s*\{/;
/** The chunk `include_usage` adds: no choices, only the usage object. */
const NO_CHOICES = /"choices"\s*:\s*\[\s*\]/;
const LF = 0x0a;
const CR = 0x0d;
const COMMA = 0x2c;
const COLON = 0x3a;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const USAGE_KEY = Buffer.from('"usage"');
const NULL_LENGTH = 'null'.length;
/** How an upstream ends every other chunk once `include_usage` is on (the client did not ask for it). */
const NULL_USAGE_TAIL = ',"usage":null}';

/**
 * Undoes what keypool's own `include_usage` changed in an OpenAI stream, for clients that never asked
 * for it: drops the usage-only chunk (`"choices":[]` + a usage object, kept for metering) and the
 * `"usage":null` member ending the other chunks, so the client gets the stream it would have had.
 * Whole events pass through as they arrive; only an unfinished trailing event waits for its end.
 */
export class UsageChunkFilter {
  private readonly splitter = new SseEventSplitter();
  /** Created for the first chunk that does not end on an event boundary (rare: most never need one). */
  private decoder: StringDecoder | null = null;
  /** The decoder holds no partial character (the last chunk ended on a newline). */
  private decoderClean = true;
  /** The hidden chunk's event, kept as text for metering and parsed only when asked for. */
  private usageEvent: string | null = null;

  /** The usage object of the hidden chunk; null when none was seen or it does not parse. */
  hiddenUsage(): Record<string, unknown> | null {
    const event = this.usageEvent;
    if (event === null) {
      return null;
    }
    // The chunk's JSON parsed whole, natively, costs less than finding the member's end in JS; a
    // chunk that does not parse as a whole may still hold a usage object that does, on one data line
    // (found in place) or across several (found in the joined lines).
    const data = eventData(event);
    return usageOf(data) ?? objectAfterKey(event, 'usage', 'last') ?? objectAfterKey(data, 'usage', 'last');
  }

  /**
   * Filters raw upstream bytes into `out`. A chunk of whole events is handled as bytes: handed on as
   * ranges of itself, decoding only the events carrying a usage object.
   */
  pushBytes(chunk: Buffer, out: ByteSink): void {
    if (this.decoderClean && !this.splitter.hasPending() && endsAtEventEnd(chunk)) {
      this.filterWholeEvents(chunk, out);
      return;
    }
    this.decoderClean = chunk.length > 0 && chunk[chunk.length - 1] === LF;
    this.decoder ??= new StringDecoder('utf8');
    out.text(this.push(this.decoder.write(chunk)));
  }

  /** The end of the byte stream: whatever the decoder and the splitter still hold, filtered. */
  endBytes(out: ByteSink): void {
    out.text(this.push(this.decoder?.end() ?? '') + this.flush());
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

  /**
   * `chunk` holds whole events only. One pass over its `"usage"` members: a usage object in a usage-only
   * event drops that event, a `,"usage":null` ending an event's data is cut; everything else goes on as
   * ranges of `chunk`.
   */
  private filterWholeEvents(chunk: Buffer, out: ByteSink): void {
    let from = 0; // start of what is not handed on yet
    let at = chunk.indexOf(USAGE_KEY);
    while (at !== -1) {
      const value = valueAfterColon(chunk, at + USAGE_KEY.length);
      if (chunk[value] === LBRACE) {
        const start = eventStartInBytes(chunk, at);
        const end = nextEventEndInBytes(chunk, at);
        if (!this.keep(chunk.toString('utf8', start, end))) {
          out.bytes(chunk, from, start);
          from = end;
          at = chunk.indexOf(USAGE_KEY, end);
          continue;
        }
      } else {
        const end = nullTailEnd(chunk, at, value);
        if (end !== -1) {
          // Cut `,"usage":null`, keep the closing brace and the terminator. Another member named usage
          // can only be in a later event.
          out.bytes(chunk, from, at - 1);
          from = value + NULL_LENGTH;
          at = end < chunk.length ? chunk.indexOf(USAGE_KEY, end) : -1;
          continue;
        }
      }
      at = chunk.indexOf(USAGE_KEY, at + USAGE_KEY.length);
    }
    out.bytes(chunk, from, chunk.length);
  }

  private keep(event: string): boolean {
    if (!USAGE_OBJECT.test(event) || !NO_CHOICES.test(event)) {
      return true;
    }
    this.usageEvent = event;
    return false;
  }
}

function usageOf(data: string): Record<string, unknown> | null {
  try {
    return sub(JSON.parse(data), 'usage');
  } catch {
    return null;
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

/**
 * Where the event ends when `,"usage":null}` at `at - 1` ends its data (only line breaks follow, up to
 * the blank line that ends the event); -1 otherwise.
 */
function nullTailEnd(chunk: Buffer, at: number, value: number): number {
  const brace = value + NULL_LENGTH;
  if (
    value !== at + USAGE_KEY.length + 1 ||
    chunk[at - 1] !== COMMA ||
    chunk[value] !== 0x6e || // n
    chunk[value + 1] !== 0x75 || // u
    chunk[value + 2] !== 0x6c || // l
    chunk[value + 3] !== 0x6c || // l
    chunk[brace] !== RBRACE
  ) {
    return -1;
  }
  // The event's end as the rest of the filter finds it; only line breaks may stand before it.
  const end = nextEventEndInBytes(chunk, brace + 1);
  for (let i = brace + 1; i < end; i++) {
    if (chunk[i] !== LF && chunk[i] !== CR) {
      return -1;
    }
  }
  return end > brace + 1 ? end : -1;
}

/** Index just after the blank line before `at` (where the event holding `at` starts), or 0. */
function eventStartInBytes(chunk: Buffer, at: number): number {
  let i = at > 0 ? chunk.lastIndexOf(LF, at - 1) : -1;
  while (i > 0) {
    if (chunk[i - 1] === LF || (chunk[i - 1] === CR && i >= 2 && chunk[i - 2] === LF)) {
      return i + 1;
    }
    i = chunk.lastIndexOf(LF, i - 1);
  }
  return 0;
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

/** Where the value after a member name ending at `from` starts (JSON space and `:` skipped), or -1. */
function valueAfterColon(chunk: Buffer, from: number): number {
  const colon = skipJsonSpace(chunk, from);
  return chunk[colon] === COLON ? skipJsonSpace(chunk, colon + 1) : -1;
}

function skipJsonSpace(chunk: Buffer, from: number): number {
  let i = from;
  while (i < chunk.length && (chunk[i] === 0x20 || chunk[i] === 0x09 || chunk[i] === LF || chunk[i] === CR)) {
    i++;
  }
  return i;
}
