/** What routing reads from a request body: nothing else is parsed. */
export interface BodyFacts {
  model: string | null;
  stream: boolean;
  /** Body `user`, used for key affinity when enabled. */
  user: string | null;
  /** OpenAI streams: the client already asked for the usage chunk itself. */
  includeUsage: boolean;
  /** OpenAI streams: the body has a `stream_options` object (so a text insert would duplicate it). */
  hasStreamOptions: boolean;
}

export class MalformedBodyError extends Error {}

const EMPTY: BodyFacts = {
  model: null,
  stream: false,
  user: null,
  includeUsage: false,
  hasStreamOptions: false,
};

/** Parses a JSON body for routing facts. Throws `MalformedBodyError` for invalid JSON or a non-object. */
export function readJsonFacts(body: Buffer): { facts: BodyFacts; json: Record<string, unknown> } {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new MalformedBodyError(`The request body is not valid JSON: ${(error as Error).message}`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new MalformedBodyError('The request body must be a JSON object.');
  }
  const obj = json as Record<string, unknown>;
  const options = obj.stream_options;
  const hasStreamOptions = options !== null && typeof options === 'object';
  return {
    json: obj,
    facts: {
      model: typeof obj.model === 'string' ? obj.model : null,
      stream: obj.stream === true,
      user: typeof obj.user === 'string' ? obj.user : null,
      includeUsage: hasStreamOptions && (options as Record<string, unknown>).include_usage === true,
      hasStreamOptions,
    },
  };
}

/** Finds the `model` form field of a multipart body (audio transcriptions, image edits) without a parser. */
export function readMultipartModel(body: Buffer, contentType: string): string | null {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!boundary) {
    return null;
  }
  // Search the bytes (an upload may be megabytes): only the few hundred after the field name matter.
  const at = body.indexOf('name="model"');
  if (at === -1) {
    return null;
  }
  const window = body.subarray(at, at + 1024).toString('latin1');
  const match = /^name="model"[^\r\n]*\r\n(?:[^\r\n]+\r\n)*\r\n([^\r\n]*)\r\n/.exec(window);
  return match ? Buffer.from(match[1], 'latin1').toString('utf8') : null;
}

export function emptyFacts(): BodyFacts {
  return { ...EMPTY };
}

const INCLUDE_USAGE = Buffer.from(',"stream_options":{"include_usage":true}');

/**
 * Adds `stream_options.include_usage` to an OpenAI stream request so the upstream reports usage.
 * Without an existing `stream_options`, the member is inserted before the closing brace, leaving every
 * other byte as the client sent it. Otherwise the object is re-serialised (rare: client set options
 * but not include_usage).
 */
export function withIncludeUsage(body: Buffer, facts: BodyFacts, json: Record<string, unknown>): Buffer {
  if (!facts.hasStreamOptions) {
    let end = body.length - 1;
    while (end >= 0 && isJsonSpace(body[end])) {
      end--;
    }
    if (end >= 0 && body[end] === 0x7d) {
      return Buffer.concat([body.subarray(0, end), INCLUDE_USAGE, body.subarray(end)]);
    }
  }
  const options = (facts.hasStreamOptions ? json.stream_options : {}) as Record<string, unknown>;
  return Buffer.from(JSON.stringify({ ...json, stream_options: { ...options, include_usage: true } }));
}

/** Replaces the body's `model` (alias resolved to a different upstream model). Re-serialises. */
export function withModel(json: Record<string, unknown>, model: string): Buffer {
  return Buffer.from(JSON.stringify({ ...json, model }));
}

function isJsonSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}
