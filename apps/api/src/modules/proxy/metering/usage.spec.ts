import { describe, expect, it } from 'vitest';
import { HeadTailCapture } from './head-tail-capture';
import { objectAfterKey } from './json-scan';
import { usageFromText } from './usage';

function meter(format: 'openai' | 'anthropic' | 'gemini', text: string, chunk: number) {
  const capture = new HeadTailCapture(8 * 1024, 16 * 1024);
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += chunk) {
    capture.push(bytes.subarray(i, i + chunk));
  }
  return usageFromText(format, capture.headText(), capture.tailText());
}

describe('usage metering', () => {
  const scenarios = [
    {
      name: 'OpenAI chat JSON with cached and reasoning tokens',
      format: 'openai' as const,
      text: JSON.stringify({
        choices: [{ message: { content: 'the "usage": {"prompt_tokens": 999} is text' } }],
        usage: {
          prompt_tokens: 10,
          completion_tokens: 20,
          total_tokens: 30,
          prompt_tokens_details: { cached_tokens: 4 },
          completion_tokens_details: { reasoning_tokens: 7 },
        },
      }),
      expected: {
        promptTokens: 10,
        completionTokens: 20,
        totalTokens: 30,
        cachedTokens: 4,
        reasoningTokens: 7,
      },
    },
    {
      name: 'OpenAI stream with the usage chunk last',
      format: 'openai' as const,
      text:
        'data: {"choices":[{"delta":{"content":"a"}}],"usage":null}\n\n'.repeat(50) +
        'data: {"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":50,"total_tokens":53}}\n\ndata: [DONE]\n\n',
      expected: {
        promptTokens: 3,
        completionTokens: 50,
        totalTokens: 53,
        cachedTokens: null,
        reasoningTokens: null,
      },
    },
    {
      name: 'OpenAI Responses API stream',
      format: 'openai' as const,
      text: 'event: response.completed\ndata: {"type":"response.completed","response":{"output":[],"usage":{"input_tokens":8,"output_tokens":2,"total_tokens":10,"output_tokens_details":{"reasoning_tokens":1}}}}\n\n',
      expected: {
        promptTokens: 8,
        completionTokens: 2,
        totalTokens: 10,
        cachedTokens: null,
        reasoningTokens: 1,
      },
    },
    {
      name: 'Anthropic stream: message_start input + cumulative message_delta output, not double counted',
      format: 'anthropic' as const,
      text:
        'event: message_start\ndata: {"type":"message_start","message":{"usage":{"input_tokens":12,"cache_read_input_tokens":5,"output_tokens":1}}}\n\n' +
        'event: content_block_delta\ndata: {"type":"content_block_delta","delta":{"text":"x"}}\n\n'.repeat(
          2000,
        ) +
        'event: message_delta\ndata: {"type":"message_delta","usage":{"output_tokens":4}}\n\n' +
        'event: message_delta\ndata: {"type":"message_delta","usage":{"output_tokens":9}}\n\n' +
        'event: message_stop\ndata: {"type":"message_stop"}\n\n',
      expected: {
        promptTokens: 17,
        completionTokens: 9,
        totalTokens: 26,
        cachedTokens: 5,
        reasoningTokens: null,
      },
    },
    {
      name: 'Anthropic JSON message',
      format: 'anthropic' as const,
      text: '{"type":"message","content":[{"type":"text","text":"hi"}],"usage":{"input_tokens":6,"output_tokens":3}}',
      expected: {
        promptTokens: 6,
        completionTokens: 3,
        totalTokens: 9,
        cachedTokens: null,
        reasoningTokens: null,
      },
    },
    {
      name: 'Gemini JSON-array stream: last usageMetadata wins',
      format: 'gemini' as const,
      text:
        '[{"candidates":[],"usageMetadata":{"promptTokenCount":4,"candidatesTokenCount":1,"totalTokenCount":5}},\n' +
        '{"candidates":[],"usageMetadata":{"promptTokenCount":4,"candidatesTokenCount":6,"totalTokenCount":12,"thoughtsTokenCount":2,"cachedContentTokenCount":1}}]',
      expected: {
        promptTokens: 4,
        completionTokens: 8,
        totalTokens: 12,
        cachedTokens: 1,
        reasoningTokens: 2,
      },
    },
  ];

  for (const scenario of scenarios) {
    it(`should read ${scenario.name} at any chunk size`, () => {
      for (const chunk of [1, 7, 64, 100_000]) {
        expect(meter(scenario.format, scenario.text, chunk)).toEqual(scenario.expected);
      }
    });
  }

  it('should return null when there is no usage', () => {
    expect(meter('openai', '{"data":[]}', 5)).toBeNull();
  });

  it('should skip a null usage and find an earlier object', () => {
    expect(objectAfterKey('{"usage":{"a":1}} {"usage":null}', 'usage', 'last')).toEqual({ a: 1 });
  });
});
