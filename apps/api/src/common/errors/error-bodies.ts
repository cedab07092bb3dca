import { ErrorCode, type ApiErrorBody } from '@keypool/shared';
import type { ErrorSurface } from './surface';

/** Error body in the dialect of the surface that failed. Proxy dialects never carry our admin envelope. */
export function errorBodyFor(
  surface: ErrorSurface,
  status: number,
  code: ErrorCode,
  message: string,
  details?: Record<string, unknown>,
): unknown {
  switch (surface) {
    case 'openai':
      return { error: { message, type: openAiType(status), param: null, code: code.toLowerCase() } };
    case 'anthropic':
      return { type: 'error', error: { type: anthropicType(status), message } };
    case 'google':
      return { error: { code: status, message, status: googleStatus(status) } };
    case 'admin':
    case 'other': {
      const body: ApiErrorBody = { error: { code, message, ...(details ? { details } : {}) } };
      return body;
    }
  }
}

/** Our code for a bare HTTP status, when nothing more specific is known. */
export function codeForStatus(status: number): ErrorCode {
  if (status === 400 || status === 422) {
    return ErrorCode.ValidationFailed;
  }
  if (status === 401) {
    return ErrorCode.Unauthorized;
  }
  if (status === 404) {
    return ErrorCode.NotFound;
  }
  if (status === 413) {
    return ErrorCode.PayloadTooLarge;
  }
  if (status === 429) {
    return ErrorCode.TooManyRequests;
  }
  return ErrorCode.InternalError;
}

function openAiType(status: number): string {
  if (status === 401) {
    return 'authentication_error';
  }
  if (status === 403) {
    return 'permission_error';
  }
  if (status === 404) {
    return 'not_found_error';
  }
  if (status === 429) {
    return 'rate_limit_error';
  }
  return status >= 500 ? 'server_error' : 'invalid_request_error';
}

function anthropicType(status: number): string {
  if (status === 401) {
    return 'authentication_error';
  }
  if (status === 403) {
    return 'permission_error';
  }
  if (status === 404) {
    return 'not_found_error';
  }
  if (status === 413) {
    return 'request_too_large';
  }
  if (status === 429) {
    return 'rate_limit_error';
  }
  if (status === 529 || status === 503) {
    return 'overloaded_error';
  }
  return status >= 500 ? 'api_error' : 'invalid_request_error';
}

function googleStatus(status: number): string {
  const map: Record<number, string> = {
    400: 'INVALID_ARGUMENT',
    401: 'UNAUTHENTICATED',
    403: 'PERMISSION_DENIED',
    404: 'NOT_FOUND',
    413: 'INVALID_ARGUMENT',
    429: 'RESOURCE_EXHAUSTED',
    503: 'UNAVAILABLE',
    504: 'DEADLINE_EXCEEDED',
  };
  return map[status] ?? (status >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION');
}
