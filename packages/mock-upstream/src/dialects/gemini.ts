import { countInputTokens, embeddingOf, replyChunks } from '../content';
import { googleError } from '../errors';
import { sseData, type StreamFrame } from '../exchange';
import type { DialectContext } from './context';

/** Handles `/v1beta/models` and `/v1beta/models/{model}:{method}` in Google's format. */
export async function handleGemini(ctx: DialectContext): Promise<void> {
  const { ex, route } = ctx;
  const method = ex.req.method ?? 'GET';
  if (method === 'GET' && route === '/models') {
    ex.sendJson(200, { models: ctx.models.map(geminiModel) });
    return;
  }
  const call = /^\/models\/([^:]+):([A-Za-z]+)$/.exec(route);
  if (method === 'GET' && !call && route.startsWith('/models/')) {
    ex.sendJson(200, geminiModel(decodeURIComponent(route.slice('/models/'.length))));
    return;
  }
  if (method === 'POST' && call) {
    const model = decodeURIComponent(call[1]);
    switch (call[2]) {
      case 'generateContent':
        return generate(ctx, model, false);
      case 'streamGenerateContent':
        return generate(ctx, model, true);
      case 'countTokens':
        return countTokens(ctx);
      case 'embedContent':
        return embedContent(ctx);
      case 'batchEmbedContents':
        return batchEmbedContents(ctx);
    }
  }
  ex.sendError(googleError(404, `Method not found: ${method} /v1beta${route}`));
}

function geminiModel(id: string) {
  return {
    name: `models/${id}`,
    version: '001',
    displayName: id,
    inputTokenLimit: 1048576,
    outputTokenLimit: 8192,
    supportedGenerationMethods: id.includes('embedding')
      ? ['embedContent', 'batchEmbedContents']
      : ['generateContent', 'countTokens'],
  };
}

async function generate(ctx: DialectContext, model: string, streaming: boolean): Promise<void> {
  const { ex, body } = ctx;
  const chunks = replyChunks(ex.behavior);
  const promptTokenCount = countInputTokens(body);
  ex.record.usage = { inputTokens: promptTokenCount, outputTokens: chunks.length };
  const responseId = `mock${ex.record.id}`;
  const usageMetadata = (candidates: number) => ({
    promptTokenCount,
    candidatesTokenCount: candidates,
    totalTokenCount: promptTokenCount + candidates,
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: promptTokenCount }],
  });
  const response = (text: string, candidates: number, last: boolean) => ({
    candidates: [
      { content: { parts: [{ text }], role: 'model' }, ...(last ? { finishReason: 'STOP' } : {}), index: 0 },
    ],
    usageMetadata: usageMetadata(candidates),
    modelVersion: model,
    responseId,
  });
  if (!streaming) {
    ex.sendJson(200, response(chunks.join(''), chunks.length, true));
    return;
  }
  // Each chunk carries usageMetadata with the cumulative candidate count, as Gemini's streams do.
  const events = chunks.map((text, i) => response(text, i + 1, i === chunks.length - 1));
  if (ex.query.get('alt') === 'sse') {
    const frames: StreamFrame[] = events.map((event) => ({ data: sseData(event), content: true }));
    await ex.stream('text/event-stream', frames);
    return;
  }
  // Without alt=sse Google streams one JSON array, element by element.
  const frames: StreamFrame[] = events.map((event, i) => ({
    data: `${i === 0 ? '[' : ',\r\n'}${JSON.stringify(event, null, 2)}${i === events.length - 1 ? ']' : ''}`,
    content: true,
  }));
  await ex.stream('application/json; charset=UTF-8', frames);
}

function countTokens(ctx: DialectContext): void {
  const totalTokens = countInputTokens(ctx.body);
  ctx.ex.record.usage = { inputTokens: totalTokens, outputTokens: 0 };
  ctx.ex.sendJson(200, { totalTokens, promptTokensDetails: [{ modality: 'TEXT', tokenCount: totalTokens }] });
}

function textOf(content: unknown): string {
  const parts = (content as { parts?: Array<{ text?: unknown }> } | undefined)?.parts ?? [];
  return parts.map((part) => (typeof part.text === 'string' ? part.text : '')).join(' ');
}

function embedContent(ctx: DialectContext): void {
  ctx.ex.record.usage = { inputTokens: countInputTokens(ctx.body), outputTokens: 0 };
  ctx.ex.sendJson(200, { embedding: { values: embeddingOf(textOf(ctx.body.content)) } });
}

function batchEmbedContents(ctx: DialectContext): void {
  const requests = Array.isArray(ctx.body.requests)
    ? (ctx.body.requests as Array<{ content?: unknown }>)
    : [];
  ctx.ex.record.usage = { inputTokens: countInputTokens(ctx.body), outputTokens: 0 };
  ctx.ex.sendJson(200, {
    embeddings: requests.map((request) => ({ values: embeddingOf(textOf(request.content)) })),
  });
}
