import type { TokenUsage, UpstreamFormat } from '@keypool/shared';
import { objectAfterKey } from './json-scan';

export const NO_USAGE: TokenUsage = Object.freeze({
  promptTokens: null,
  completionTokens: null,
  totalTokens: null,
  cachedTokens: null,
  reasoningTokens: null,
});

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** The object `obj[key]`, or null when either is not an object. */
export function sub(obj: unknown, key: string): Record<string, unknown> | null {
  if (obj && typeof obj === 'object') {
    const value = (obj as Record<string, unknown>)[key];
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  }
  return null;
}

function sum(...values: Array<number | null>): number | null {
  return values.some((v) => v !== null) ? values.reduce<number>((acc, v) => acc + (v ?? 0), 0) : null;
}

/** OpenAI chat/completions/embeddings (`prompt_tokens`…) and Responses API (`input_tokens`…) usage. */
export function openAiUsage(u: Record<string, unknown>): TokenUsage {
  const prompt = num(u.prompt_tokens) ?? num(u.input_tokens);
  const completion = num(u.completion_tokens) ?? num(u.output_tokens);
  const inDetails = sub(u, 'prompt_tokens_details') ?? sub(u, 'input_tokens_details');
  const outDetails = sub(u, 'completion_tokens_details') ?? sub(u, 'output_tokens_details');
  return {
    promptTokens: prompt,
    completionTokens: completion,
    totalTokens: num(u.total_tokens) ?? sum(prompt, completion),
    cachedTokens: num(inDetails?.cached_tokens),
    reasoningTokens: num(outDetails?.reasoning_tokens),
  };
}

/**
 * Anthropic usage: `input_tokens` excludes cache reads/writes, so the prompt is their sum. In streams,
 * `message_start` carries the input side and each `message_delta` the cumulative output: the later
 * object overrides the earlier per field, never adds to it.
 */
export function anthropicUsage(
  start: Record<string, unknown> | null,
  delta: Record<string, unknown> | null,
): TokenUsage {
  const merged: Record<string, unknown> = { ...(start ?? {}) };
  for (const [k, v] of Object.entries(delta ?? {})) {
    if (v !== null && v !== undefined) {
      merged[k] = v;
    }
  }
  const input = num(merged.input_tokens);
  const cacheRead = num(merged.cache_read_input_tokens);
  const cacheWrite = num(merged.cache_creation_input_tokens);
  const prompt = sum(input, cacheRead, cacheWrite);
  const completion = num(merged.output_tokens);
  return {
    promptTokens: prompt,
    completionTokens: completion,
    totalTokens: sum(prompt, completion),
    cachedTokens: cacheRead,
    reasoningTokens: null,
  };
}

/** Gemini `usageMetadata` (cumulative in every stream chunk: the last one counts). */
export function geminiUsage(u: Record<string, unknown>): TokenUsage {
  const prompt = num(u.promptTokenCount);
  const thoughts = num(u.thoughtsTokenCount);
  const completion = sum(num(u.candidatesTokenCount), thoughts);
  return {
    promptTokens: prompt,
    completionTokens: completion,
    totalTokens: num(u.totalTokenCount) ?? sum(prompt, completion),
    cachedTokens: num(u.cachedContentTokenCount),
    reasoningTokens: thoughts,
  };
}

/**
 * Usage from the first and last few KB of a response (JSON body or stream). Works on fragments, so the
 * response itself never has to be held in memory.
 */
export function usageFromText(format: UpstreamFormat, head: string, tail: string): TokenUsage | null {
  switch (format) {
    case 'openai': {
      const u = objectAfterKey(tail, 'usage', 'last');
      return u ? openAiUsage(u) : null;
    }
    case 'anthropic': {
      const start = objectAfterKey(head, 'usage', 'first');
      const last = objectAfterKey(tail, 'usage', 'last');
      if (!start && !last) {
        return null;
      }
      // A plain JSON message has one usage object: head and tail find the same one.
      return anthropicUsage(start, last);
    }
    case 'gemini': {
      const u = objectAfterKey(tail, 'usageMetadata', 'last');
      return u ? geminiUsage(u) : null;
    }
  }
}
