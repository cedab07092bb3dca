import { ErrorCode, type ApiErrorBody } from '@keypool/shared';
import { dialectErrorObject } from './dialect-error';
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
      return dialectErrorObject('openai', { status, message, code: code.toLowerCase() });
    case 'anthropic':
      return dialectErrorObject('anthropic', { status, message });
    case 'google':
      return dialectErrorObject('gemini', { status, message });
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
