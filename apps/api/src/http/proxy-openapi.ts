import type { OpenAPIObject } from '@nestjs/swagger';

type Operation = NonNullable<OpenAPIObject['paths'][string]['post']>;

const json = (example: unknown) => ({ 'application/json': { schema: { type: 'object' as const }, example } });

const errorResponses = {
  '400': { description: 'Malformed body (error in the caller’s dialect)' },
  '401': { description: 'Missing or wrong master / client key' },
  '404': { description: 'No upstream serves the model (lists the available ones)' },
  '429': { description: 'Every key is rate-limited, or the client key is over its limit (Retry-After set)' },
  '503': { description: 'No key available (none configured, or all out for faults)' },
};

function proxied(summary: string, description: string, example?: unknown, stream = false): Operation {
  return {
    tags: ['proxy'],
    summary,
    description,
    security: [{ client: [] }],
    ...(example === undefined ? {} : { requestBody: { required: true, content: json(example) } }),
    responses: {
      '200': {
        description: stream
          ? 'The upstream’s answer, byte for byte; `text/event-stream` when streaming'
          : 'The upstream’s answer, byte for byte',
      },
      ...errorResponses,
    },
  };
}

const chat = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello!' }], stream: false };

/**
 * The proxy routes are served outside Nest's router (for speed), so Swagger cannot discover them.
 * They are described here so integrators find them next to the admin API.
 */
export function addProxyPaths(document: OpenAPIObject): void {
  const anyPath =
    'Any other `/v1/*` path is passed through unchanged (method, query, body, content type) to an upstream of format `openai`. `/api/v1/*` behaves exactly like `/v1/*`.';
  Object.assign(document.paths, {
    '/v1/chat/completions': {
      post: proxied(
        'OpenAI chat completions',
        `Balanced over the keys of the upstreams serving \`model\`; streams pass through chunk by chunk. ${anyPath}`,
        chat,
        true,
      ),
    },
    '/v1/completions': {
      post: proxied('OpenAI completions', anyPath, { model: 'gpt-3.5-turbo-instruct', prompt: 'Hi' }, true),
    },
    '/v1/embeddings': {
      post: proxied('OpenAI embeddings', anyPath, { model: 'text-embedding-3-small', input: 'Hello' }),
    },
    '/v1/responses': {
      post: proxied('OpenAI responses', anyPath, { model: 'gpt-4o-mini', input: 'Hello' }, true),
    },
    '/v1/models': {
      get: proxied(
        'Models of every enabled upstream, merged (with aliases)',
        'Cached; answers even when one upstream is down.',
      ),
    },
    '/v1/messages': {
      post: proxied(
        'Anthropic messages',
        'To upstreams of format `anthropic`; the key travels as `x-api-key`, `anthropic-version` defaults to 2023-06-01.',
        {
          model: 'claude-3-5-haiku-latest',
          max_tokens: 256,
          messages: [{ role: 'user', content: 'Hello!' }],
        },
        true,
      ),
    },
    '/v1/messages/count_tokens': {
      post: proxied('Anthropic token count', 'To upstreams of format `anthropic`.', {
        model: 'claude-3-5-haiku-latest',
        messages: [{ role: 'user', content: 'Hello!' }],
      }),
    },
    '/v1beta/models/{model}:generateContent': {
      post: {
        ...proxied(
          'Gemini generateContent (also :streamGenerateContent, :embedContent, :batchEmbedContents, :countTokens)',
          'To upstreams of format `gemini`; the key travels as `x-goog-api-key`, never in the URL. `?alt=sse` streams as SSE.',
          { contents: [{ parts: [{ text: 'Hello!' }] }] },
          true,
        ),
        parameters: [
          {
            name: 'model',
            in: 'path',
            required: true,
            schema: { type: 'string' },
            example: 'gemini-2.0-flash',
          },
        ],
      },
    },
    '/v1beta/models': {
      get: proxied('Gemini models of every enabled gemini upstream', 'Merged and cached.'),
    },
  });
  document.tags = [
    ...(document.tags ?? []),
    { name: 'proxy', description: 'OpenAI, Anthropic and Gemini compatible proxy' },
  ];
}
