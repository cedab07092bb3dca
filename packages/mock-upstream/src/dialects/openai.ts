import { countInputTokens, embeddingInputs, embeddingOf, replyChunks, TINY_PNG_BASE64 } from '../content';
import { openaiError } from '../errors';
import { sseData, type StreamFrame } from '../exchange';
import { multipartField, multipartFiles } from '../multipart';
import { type DialectContext, nowSeconds, str } from './context';

/** Handles `/v1/*` in OpenAI's format. */
export async function handleOpenAI(ctx: DialectContext): Promise<void> {
  const { ex, route } = ctx;
  const method = ex.req.method ?? 'GET';
  if (method === 'GET' && route === '/models') {
    ex.sendJson(200, { object: 'list', data: ctx.models.map(openaiModel) });
    return;
  }
  if (method === 'GET' && route.startsWith('/models/')) {
    const id = decodeURIComponent(route.slice('/models/'.length));
    if (ctx.models.includes(id)) {
      ex.sendJson(200, openaiModel(id));
    } else {
      ex.sendError(
        openaiError(404, `The model '${id}' does not exist`, 'invalid_request_error', 'model_not_found'),
      );
    }
    return;
  }
  if (method === 'POST') {
    switch (route) {
      case '/chat/completions':
        return chatCompletions(ctx);
      case '/completions':
        return completions(ctx);
      case '/embeddings':
        return embeddings(ctx);
      case '/responses':
        return responses(ctx);
      case '/images/generations':
      case '/images/edits':
      case '/images/variations':
        return images(ctx);
      case '/audio/transcriptions':
      case '/audio/translations':
        return transcription(ctx);
      case '/audio/speech':
        return speech(ctx);
      case '/moderations':
        return moderations(ctx);
    }
  }
  ex.sendError(
    openaiError(
      404,
      `Unknown request URL: ${method} /v1${route}. Please check the URL for typos.`,
      'invalid_request_error',
      'unknown_url',
    ),
  );
}

function openaiModel(id: string) {
  return { id, object: 'model', created: 1700000000, owned_by: 'mock-upstream' };
}

function usageOf(ctx: DialectContext, outputTokens: number) {
  const inputTokens = countInputTokens(ctx.body);
  ctx.ex.record.usage = { inputTokens, outputTokens };
  return inputTokens;
}

async function chatCompletions(ctx: DialectContext): Promise<void> {
  const { ex, body } = ctx;
  const model = str(body.model, 'gpt-4o-mini');
  const chunks = replyChunks(ex.behavior);
  const promptTokens = usageOf(ctx, chunks.length);
  const usage = {
    prompt_tokens: promptTokens,
    completion_tokens: chunks.length,
    total_tokens: promptTokens + chunks.length,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
  const id = `chatcmpl-mock${ex.record.id}`;
  const created = nowSeconds();
  if (body.stream !== true) {
    ex.sendJson(200, {
      id,
      object: 'chat.completion',
      created,
      model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: chunks.join(''), refusal: null, annotations: [] },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage,
      service_tier: 'default',
      system_fingerprint: 'fp_mock',
    });
    return;
  }
  // As OpenAI does: with include_usage every chunk carries `usage: null` and one last chunk has the usage.
  const includeUsage =
    (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
  const base = {
    id,
    object: 'chat.completion.chunk',
    created,
    model,
    service_tier: 'default',
    system_fingerprint: 'fp_mock',
  };
  const withUsage = (chunk: object) => (includeUsage ? { ...chunk, usage: null } : chunk);
  const frames: StreamFrame[] = [
    {
      data: sseData(
        withUsage({
          ...base,
          choices: [
            {
              index: 0,
              delta: { role: 'assistant', content: '', refusal: null },
              logprobs: null,
              finish_reason: null,
            },
          ],
        }),
      ),
    },
    ...chunks.map((text) => ({
      data: sseData(
        withUsage({
          ...base,
          choices: [{ index: 0, delta: { content: text }, logprobs: null, finish_reason: null }],
        }),
      ),
      content: true,
    })),
    {
      data: sseData(
        withUsage({ ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }] }),
      ),
    },
  ];
  if (includeUsage) {
    frames.push({ data: sseData({ ...base, choices: [], usage }) });
  }
  frames.push({ data: sseData('[DONE]') });
  await ex.stream('text/event-stream; charset=utf-8', frames);
}

async function completions(ctx: DialectContext): Promise<void> {
  const { ex, body } = ctx;
  const model = str(body.model, 'gpt-3.5-turbo-instruct');
  const chunks = replyChunks(ex.behavior);
  const promptTokens = usageOf(ctx, chunks.length);
  const usage = {
    prompt_tokens: promptTokens,
    completion_tokens: chunks.length,
    total_tokens: promptTokens + chunks.length,
  };
  const base = { id: `cmpl-mock${ex.record.id}`, object: 'text_completion', created: nowSeconds(), model };
  if (body.stream !== true) {
    ex.sendJson(200, {
      ...base,
      choices: [{ text: chunks.join(''), index: 0, logprobs: null, finish_reason: 'stop' }],
      usage,
    });
    return;
  }
  const includeUsage =
    (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
  const frames: StreamFrame[] = chunks.map((text, i) => ({
    data: sseData({
      ...base,
      choices: [{ text, index: 0, logprobs: null, finish_reason: i === chunks.length - 1 ? 'stop' : null }],
      ...(includeUsage ? { usage: null } : {}),
    }),
    content: true,
  }));
  if (includeUsage) {
    frames.push({ data: sseData({ ...base, choices: [], usage }) });
  }
  frames.push({ data: sseData('[DONE]') });
  await ex.stream('text/event-stream; charset=utf-8', frames);
}

function embeddings(ctx: DialectContext): void {
  const { ex, body } = ctx;
  const inputs = embeddingInputs(body.input);
  const promptTokens = usageOf(ctx, 0);
  const dims = typeof body.dimensions === 'number' ? body.dimensions : 8;
  ex.sendJson(200, {
    object: 'list',
    data: inputs.map((text, index) => ({
      object: 'embedding',
      index,
      embedding:
        body.encoding_format === 'base64'
          ? Buffer.from(new Float32Array(embeddingOf(text, dims)).buffer).toString('base64')
          : embeddingOf(text, dims),
    })),
    model: str(body.model, 'text-embedding-3-small'),
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  });
}

async function responses(ctx: DialectContext): Promise<void> {
  const { ex, body } = ctx;
  const model = str(body.model, 'gpt-4o-mini');
  const chunks = replyChunks(ex.behavior);
  const inputTokens = usageOf(ctx, chunks.length);
  const text = chunks.join('');
  const id = `resp_mock${ex.record.id}`;
  const msgId = `msg_mock${ex.record.id}`;
  const usage = {
    input_tokens: inputTokens,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: chunks.length,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: inputTokens + chunks.length,
  };
  const part = { type: 'output_text', text, annotations: [] };
  const item = { id: msgId, type: 'message', status: 'completed', role: 'assistant', content: [part] };
  const response = (status: string, extra: object) => ({
    id,
    object: 'response',
    created_at: nowSeconds(),
    status,
    error: null,
    incomplete_details: null,
    instructions: body.instructions ?? null,
    model,
    output: [] as unknown[],
    parallel_tool_calls: true,
    tool_choice: 'auto',
    tools: [],
    usage: null as unknown,
    ...extra,
  });
  if (body.stream !== true) {
    ex.sendJson(200, response('completed', { output: [item], usage }));
    return;
  }
  let seq = 0;
  const event = (type: string, payload: object) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...payload })}\n\n`;
  const frames: StreamFrame[] = [
    { data: event('response.created', { response: response('in_progress', {}) }) },
    { data: event('response.in_progress', { response: response('in_progress', {}) }) },
    {
      data: event('response.output_item.added', {
        output_index: 0,
        item: { ...item, status: 'in_progress', content: [] },
      }),
    },
    {
      data: event('response.content_part.added', {
        item_id: msgId,
        output_index: 0,
        content_index: 0,
        part: { ...part, text: '' },
      }),
    },
    ...chunks.map((delta) => ({
      data: event('response.output_text.delta', { item_id: msgId, output_index: 0, content_index: 0, delta }),
      content: true,
    })),
    { data: event('response.output_text.done', { item_id: msgId, output_index: 0, content_index: 0, text }) },
    {
      data: event('response.content_part.done', { item_id: msgId, output_index: 0, content_index: 0, part }),
    },
    { data: event('response.output_item.done', { output_index: 0, item }) },
    { data: event('response.completed', { response: response('completed', { output: [item], usage }) }) },
  ];
  await ex.stream('text/event-stream; charset=utf-8', frames);
}

function images(ctx: DialectContext): void {
  const { ex, body } = ctx;
  const contentType = ex.req.headers['content-type'];
  const n = typeof body.n === 'number' ? body.n : 1;
  const files = multipartFiles(contentType, ex.record.body);
  const inputTokens = usageOf(ctx, 1);
  ex.sendJson(200, {
    created: nowSeconds(),
    data: Array.from({ length: n }, () => ({
      b64_json: TINY_PNG_BASE64,
      revised_prompt: str(body.prompt, ''),
    })),
    usage: {
      input_tokens: inputTokens,
      output_tokens: 1,
      total_tokens: inputTokens + 1,
      input_tokens_details: { text_tokens: inputTokens, image_tokens: files.length },
    },
  });
}

/** Echoes the uploaded file's size so tests can check the multipart body arrived whole. */
function transcription(ctx: DialectContext): void {
  const { ex } = ctx;
  const contentType = ex.req.headers['content-type'];
  const file =
    multipartFiles(contentType, ex.record.body).find((f) => f.field === 'file') ??
    multipartFiles(contentType, ex.record.body)[0];
  if (!file) {
    ex.sendError(openaiError(400, "Could not parse multipart form: no 'file' part", 'invalid_request_error'));
    return;
  }
  ex.record.model = multipartField(contentType, ex.record.body, 'model') ?? ex.record.model;
  ex.record.usage = { inputTokens: file.size, outputTokens: 0 };
  const text = `mock transcription of ${file.filename} (${file.size} bytes)`;
  const format = multipartField(contentType, ex.record.body, 'response_format');
  if (format === 'text') {
    ex.sendRaw(200, 'text/plain; charset=utf-8', text);
    return;
  }
  ex.sendJson(200, {
    text,
    file: { name: file.filename, size: file.size },
    usage: { type: 'duration', seconds: Math.max(1, Math.round(file.size / 16000)) },
  });
}

function speech(ctx: DialectContext): void {
  usageOf(ctx, 0);
  // A few bytes standing in for audio.
  ctx.ex.sendRaw(200, 'audio/mpeg', Buffer.from([0xff, 0xfb, 0x90, 0x64, 0, 0, 0, 0]));
}

function moderations(ctx: DialectContext): void {
  const { ex, body } = ctx;
  const inputs = embeddingInputs(body.input);
  usageOf(ctx, 0);
  const categories = ['harassment', 'hate', 'self-harm', 'sexual', 'violence'];
  ex.sendJson(200, {
    id: `modr-mock${ex.record.id}`,
    model: str(body.model, 'omni-moderation-latest'),
    results: inputs.map(() => ({
      flagged: false,
      categories: Object.fromEntries(categories.map((c) => [c, false])),
      category_scores: Object.fromEntries(categories.map((c) => [c, 0.0001])),
    })),
  });
}
