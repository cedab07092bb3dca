import { countInputTokens, replyChunks } from '../content';
import { anthropicError } from '../errors';
import { sseEvent, type StreamFrame } from '../exchange';
import { type DialectContext, str } from './context';

/** Handles Anthropic's `/v1/messages`, `/v1/messages/count_tokens` and `/v1/models`. */
export async function handleAnthropic(ctx: DialectContext): Promise<void> {
  const { ex, route } = ctx;
  const method = ex.req.method ?? 'GET';
  if (method === 'GET' && route === '/models') {
    const data = ctx.models.map(anthropicModel);
    ex.sendJson(200, {
      data,
      has_more: false,
      first_id: data[0]?.id ?? null,
      last_id: data.at(-1)?.id ?? null,
    });
    return;
  }
  if (method === 'GET' && route.startsWith('/models/')) {
    ex.sendJson(200, anthropicModel(decodeURIComponent(route.slice('/models/'.length))));
    return;
  }
  if (method === 'POST' && route === '/messages/count_tokens') {
    const inputTokens = countInputTokens(ctx.body);
    ex.record.usage = { inputTokens, outputTokens: 0 };
    ex.sendJson(200, { input_tokens: inputTokens });
    return;
  }
  if (method === 'POST' && route === '/messages') {
    return messages(ctx);
  }
  ex.sendError(anthropicError(404, `Not found: ${method} /v1${route}`, 'not_found_error'));
}

function anthropicModel(id: string) {
  return { type: 'model', id, display_name: id, created_at: '2025-01-01T00:00:00Z' };
}

async function messages(ctx: DialectContext): Promise<void> {
  const { ex, body } = ctx;
  if (typeof body.max_tokens !== 'number') {
    ex.sendError(anthropicError(400, 'max_tokens: Field required', 'invalid_request_error'));
    return;
  }
  const model = str(body.model, 'claude-sonnet-4-5');
  const chunks = replyChunks(ex.behavior);
  const inputTokens = countInputTokens(body);
  ex.record.usage = { inputTokens, outputTokens: chunks.length };
  const id = `msg_mock${ex.record.id}`;
  const usage = {
    input_tokens: inputTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    output_tokens: chunks.length,
  };
  if (body.stream !== true) {
    ex.sendJson(200, {
      id,
      type: 'message',
      role: 'assistant',
      model,
      content: [{ type: 'text', text: chunks.join('') }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage,
    });
    return;
  }
  // As Anthropic does: message_start carries input tokens (and output 1), message_delta the cumulative output.
  const frames: StreamFrame[] = [
    {
      data: sseEvent('message_start', {
        type: 'message_start',
        message: {
          id,
          type: 'message',
          role: 'assistant',
          model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { ...usage, output_tokens: 1 },
        },
      }),
    },
    {
      data: sseEvent('content_block_start', {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'text', text: '' },
      }),
    },
    { data: sseEvent('ping', { type: 'ping' }) },
    ...chunks.map((text) => ({
      data: sseEvent('content_block_delta', {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'text_delta', text },
      }),
      content: true,
    })),
    { data: sseEvent('content_block_stop', { type: 'content_block_stop', index: 0 }) },
    {
      data: sseEvent('message_delta', {
        type: 'message_delta',
        delta: { stop_reason: 'end_turn', stop_sequence: null },
        usage: { output_tokens: chunks.length },
      }),
    },
    { data: sseEvent('message_stop', { type: 'message_stop' }) },
  ];
  await ex.stream('text/event-stream; charset=utf-8', frames);
}
