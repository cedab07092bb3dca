import type { UpstreamFormat } from '@keypool/shared';

/** keypool's own failure, before it is put into the caller's dialect. */
export interface ProxyFailure {
  status: number;
  message: string;
  /** Machine code for OpenAI's `code` field (e.g. `invalid_api_key`, `model_not_found`). */
  code?: string | null;
}

function openAiType(status: number): string {
  switch (status) {
    case 401:
      return 'authentication_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 429:
      return 'rate_limit_error';
    case 499:
      return 'client_cancel';
    default:
      return status >= 500 ? 'server_error' : 'invalid_request_error';
  }
}

function anthropicType(status: number): string {
  switch (status) {
    case 401:
      return 'authentication_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 503:
    case 529:
      return 'overloaded_error';
    case 504:
      return 'timeout_error';
    default:
      return status >= 500 ? 'api_error' : 'invalid_request_error';
  }
}

function googleStatus(status: number): string {
  switch (status) {
    case 400:
    case 413:
      return 'INVALID_ARGUMENT';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'PERMISSION_DENIED';
    case 404:
      return 'NOT_FOUND';
    case 429:
      return 'RESOURCE_EXHAUSTED';
    case 499:
      return 'CANCELLED';
    case 503:
      return 'UNAVAILABLE';
    case 504:
      return 'DEADLINE_EXCEEDED';
    default:
      return status >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION';
  }
}

/** The error object of each dialect (what goes inside a JSON body or an SSE `data:` line). */
export function dialectErrorObject(format: UpstreamFormat, failure: ProxyFailure): Record<string, unknown> {
  switch (format) {
    case 'openai':
      return {
        error: {
          message: failure.message,
          type: openAiType(failure.status),
          param: null,
          code: failure.code ?? null,
        },
      };
    case 'anthropic':
      return { type: 'error', error: { type: anthropicType(failure.status), message: failure.message } };
    case 'gemini':
      return {
        error: { code: failure.status, message: failure.message, status: googleStatus(failure.status) },
      };
  }
}

/** A JSON error body in the caller's dialect. */
export function dialectErrorBody(format: UpstreamFormat, failure: ProxyFailure): string {
  return JSON.stringify(dialectErrorObject(format, failure));
}

/**
 * The event that ends a stream whose upstream failed after bytes reached the client: Anthropic's
 * `event: error`, an OpenAI-style `data: {"error":…}` (which the OpenAI SDKs raise), Google's error object.
 * `sseFraming=false` is Gemini's JSON-array stream: the error becomes the array's last element.
 */
export function dialectStreamError(format: UpstreamFormat, failure: ProxyFailure, sseFraming = true): string {
  const data = JSON.stringify(dialectErrorObject(format, failure));
  if (!sseFraming) {
    return `,\n${data}\n]`;
  }
  return format === 'anthropic' ? `event: error\ndata: ${data}\n\n` : `data: ${data}\n\n`;
}
