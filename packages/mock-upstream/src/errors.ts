import type { MockDialect } from './types';

/** An error response: status, body (JSON-serialisable) and extra headers. */
export interface ErrorReply {
  status: number;
  body: unknown;
}

const GOOGLE_STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

const ANTHROPIC_TYPE: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

/** `{"error":{"message","type","param","code"}}` */
export function openaiError(
  status: number,
  message: string,
  type: string,
  code: string | null = null,
): ErrorReply {
  return { status, body: { error: { message, type, param: null, code } } };
}

/** `{"type":"error","error":{"type","message"}}` */
export function anthropicError(
  status: number,
  message: string,
  type = ANTHROPIC_TYPE[status] ?? 'api_error',
): ErrorReply {
  return { status, body: { type: 'error', error: { type, message } } };
}

/** `{"error":{"code","message","status","details"?}}` */
export function googleError(status: number, message: string, details?: unknown[]): ErrorReply {
  const error: Record<string, unknown> = {
    code: status,
    message,
    status: GOOGLE_STATUS[status] ?? 'UNKNOWN',
  };
  if (details) {
    error.details = details;
  }
  return { status, body: { error } };
}

/** A generic error of the given status in the dialect's shape. */
export function dialectError(dialect: MockDialect, status: number, message: string): ErrorReply {
  switch (dialect) {
    case 'openai':
      return openaiError(status, message, status >= 500 ? 'server_error' : 'invalid_request_error');
    case 'anthropic':
      return anthropicError(status, message);
    case 'gemini':
      return googleError(status, message);
  }
}

export function unauthorizedError(dialect: MockDialect, key: string | null): ErrorReply {
  switch (dialect) {
    case 'openai':
      return key
        ? openaiError(
            401,
            `Incorrect API key provided: ${maskKey(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
            'invalid_request_error',
            'invalid_api_key',
          )
        : openaiError(
            401,
            "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
            'invalid_request_error',
            null,
          );
    case 'anthropic':
      return anthropicError(401, key ? 'invalid x-api-key' : 'x-api-key header is required');
    case 'gemini':
      // Google answers a bad key with 400 INVALID_ARGUMENT + ErrorInfo API_KEY_INVALID, a missing one with 403.
      return key
        ? googleError(400, 'API key not valid. Please pass a valid API key.', [
            {
              '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
              reason: 'API_KEY_INVALID',
              domain: 'googleapis.com',
              metadata: { service: 'generativelanguage.googleapis.com' },
            },
          ])
        : googleError(
            403,
            "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
          );
  }
}

export function forbiddenError(dialect: MockDialect, status = 403): ErrorReply {
  switch (dialect) {
    case 'openai':
      return openaiError(
        status,
        'You are not allowed to sample from this model',
        'invalid_request_error',
        'model_not_allowed',
      );
    case 'anthropic':
      return anthropicError(status, 'Your API key does not have permission to use the specified resource.');
    case 'gemini':
      return googleError(status, 'Permission denied: Consumer has been suspended.');
  }
}

export function rateLimitError(
  dialect: MockDialect,
  model: string,
  retryAfterSeconds: number | undefined,
): ErrorReply {
  switch (dialect) {
    case 'openai':
      return openaiError(
        429,
        `Rate limit reached for ${model} in organization org-mock on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in ${retryAfterSeconds ?? 20}s.`,
        'requests',
        'rate_limit_exceeded',
      );
    case 'anthropic':
      return anthropicError(
        429,
        'This request would exceed the rate limit for your organization of 50 requests per minute. Please try again later.',
      );
    case 'gemini':
      return googleError(
        429,
        'You exceeded your current quota, please check your plan and billing details.',
        [
          quotaFailure(
            'GenerateRequestsPerMinutePerProjectPerModel-FreeTier',
            'generate_content_free_tier_requests',
            model,
            '15',
          ),
          {
            '@type': 'type.googleapis.com/google.rpc.Help',
            links: [
              {
                description: 'Learn more about Gemini API quotas',
                url: 'https://ai.google.dev/gemini-api/docs/rate-limits',
              },
            ],
          },
          ...(retryAfterSeconds !== undefined
            ? [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${retryAfterSeconds}s` }]
            : []),
        ],
      );
  }
}

export function insufficientQuotaError(dialect: MockDialect, model: string): ErrorReply {
  switch (dialect) {
    case 'openai':
      return openaiError(
        429,
        'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
        'insufficient_quota',
        'insufficient_quota',
      );
    case 'anthropic':
      return anthropicError(
        400,
        'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.',
        'invalid_request_error',
      );
    case 'gemini':
      return googleError(
        429,
        'You exceeded your current quota, please check your plan and billing details.',
        [
          quotaFailure(
            'GenerateRequestsPerDayPerProjectPerModel-FreeTier',
            'generate_content_free_tier_requests',
            model,
            '200',
          ),
        ],
      );
  }
}

export function serverError(dialect: MockDialect, status = 500): ErrorReply {
  switch (dialect) {
    case 'openai':
      return openaiError(
        status,
        'The server had an error while processing your request. Sorry about that!',
        'server_error',
      );
    case 'anthropic':
      return status === 529
        ? anthropicError(529, 'Overloaded')
        : anthropicError(status, 'Internal server error');
    case 'gemini':
      return googleError(
        status,
        status === 503
          ? 'The model is overloaded. Please try again later.'
          : 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
      );
  }
}

function quotaFailure(quotaId: string, metric: string, model: string, value: string) {
  return {
    '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
    violations: [
      {
        quotaMetric: `generativelanguage.googleapis.com/${metric}`,
        quotaId,
        quotaDimensions: { location: 'global', model },
        quotaValue: value,
      },
    ],
  };
}

/** `sk-abc...wxyz`: enough to recognise, never the whole key. */
export function maskKey(key: string): string {
  return key.length <= 8 ? '****' : `${key.slice(0, 3)}****${key.slice(-4)}`;
}
