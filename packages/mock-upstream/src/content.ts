import { createHash } from 'node:crypto';
import type { MockBehavior } from './types';

const DEFAULT_CHUNKS = 5;
const BASE_WORDS = ['Hello', ' from', ' the', ' mock', ' upstream'];

/**
 * The reply's content pieces. Without `content`, piece i is `BASE_WORDS[i]` and then ` more<i>`:
 * 5 pieces (the default) read "Hello from the mock upstream". With `content`, the text is cut into
 * `chunkCount` pieces of near-equal length. Completion tokens = the number of pieces.
 */
export function replyChunks(behavior: Pick<MockBehavior, 'chunkCount' | 'content'> = {}): string[] {
  const { content } = behavior;
  if (content !== undefined) {
    const count = Math.max(1, Math.min(behavior.chunkCount ?? DEFAULT_CHUNKS, content.length || 1));
    const size = Math.ceil(content.length / count);
    const pieces: string[] = [];
    for (let i = 0; i < count; i++) {
      pieces.push(content.slice(i * size, (i + 1) * size));
    }
    return pieces;
  }
  const count = Math.max(1, behavior.chunkCount ?? DEFAULT_CHUNKS);
  return Array.from({ length: count }, (_, i) => BASE_WORDS[i] ?? ` more${i}`);
}

/** The full reply text for a behaviour: what a client should see, streamed or not. */
export function replyText(behavior: Pick<MockBehavior, 'chunkCount' | 'content'> = {}): string {
  return replyChunks(behavior).join('');
}

const INPUT_KEYS = new Set([
  'content',
  'text',
  'input',
  'prompt',
  'system',
  'instructions',
  'parts',
  'contents',
  'messages',
  'requests',
  'systemInstruction',
]);

/**
 * Deterministic input token count: the number of whitespace-separated words in every string found
 * under the input-bearing fields (`messages[].content`, `prompt`, `input`, `system`, `instructions`,
 * Gemini `contents[].parts[].text`, ...), plus one per number in token arrays; at least 1.
 * Fields such as `model`, `stream` or `stream_options` never count, so a gateway adding
 * `include_usage` does not change the number.
 */
export function countInputTokens(body: unknown): number {
  let words = 0;
  const visit = (value: unknown, counted: boolean): void => {
    if (typeof value === 'string') {
      if (counted) {
        words += value.split(/\s+/).filter(Boolean).length;
      }
    } else if (typeof value === 'number') {
      if (counted) {
        words += 1;
      }
    } else if (Array.isArray(value)) {
      for (const item of value) {
        visit(item, counted);
      }
    } else if (value && typeof value === 'object') {
      for (const [field, inner] of Object.entries(value as Record<string, unknown>)) {
        visit(inner, INPUT_KEYS.has(field));
      }
    }
  };
  visit(body, false);
  return Math.max(1, words);
}

/** A deterministic unit-ish embedding vector derived from the text's sha256. */
export function embeddingOf(text: string, dims = 8): number[] {
  const digest = createHash('sha256').update(text).digest();
  return Array.from({ length: dims }, (_, i) =>
    Number(((digest[i % digest.length] / 255) * 2 - 1).toFixed(6)),
  );
}

/** Whole strings of an embeddings input (`input` or Gemini parts), one vector per entry. */
export function embeddingInputs(input: unknown): string[] {
  if (Array.isArray(input)) {
    return input.map((item) => (typeof item === 'string' ? item : JSON.stringify(item)));
  }
  return [typeof input === 'string' ? input : JSON.stringify(input ?? '')];
}

/** A 1x1 transparent PNG, for image endpoints. */
export const TINY_PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
