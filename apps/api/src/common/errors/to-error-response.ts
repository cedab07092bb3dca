import { HttpException } from '@nestjs/common';
import { ErrorCode } from '@keypool/shared';
import { AppError, TooManyRequestsError } from './app-error';
import { codeForStatus, errorBodyFor } from './error-bodies';
import { errorSurfaceOf } from './surface';

export interface ErrorResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
  /** Set when the error was not one we raised on purpose: log it, answer a bare 500. */
  unexpected: boolean;
}

/** Fastify's own errors (body parsing, size limit) carry a `statusCode` and an `FST_` code. */
interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  message?: string;
}

/**
 * Maps anything thrown while serving `url` to a status and a body in that surface's dialect.
 * `retryAfter` is the Retry-After header already set on the reply (the throttler sets it).
 */
export function toErrorResponse(exception: unknown, url: string, retryAfter?: string): ErrorResponse {
  const surface = errorSurfaceOf(url);
  const respond = (
    status: number,
    code: ErrorCode,
    message: string,
    details?: Record<string, unknown>,
    headers: Record<string, string> = {},
    unexpected = false,
  ): ErrorResponse => ({
    status,
    body: errorBodyFor(surface, status, code, message, details),
    headers,
    unexpected,
  });

  if (exception instanceof TooManyRequestsError) {
    const seconds = String(exception.retryAfterSeconds);
    return respond(429, exception.code, exception.message, exception.details, { 'retry-after': seconds });
  }
  if (exception instanceof AppError) {
    return respond(exception.status, exception.code, exception.message, exception.details);
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    if (status === 429) {
      const seconds = Number(retryAfter) > 0 ? Number(retryAfter) : 60;
      return respond(
        429,
        ErrorCode.TooManyRequests,
        `Too many requests; retry in ${seconds} s`,
        { retryAfterSeconds: seconds },
        { 'retry-after': String(seconds) },
      );
    }
    if (status === 404) {
      return respond(404, ErrorCode.NotFound, 'No such route');
    }
    const message = httpExceptionMessage(exception);
    if (status === 400 && /JSON/.test(message)) {
      return respond(400, ErrorCode.ValidationFailed, 'The request body is not valid JSON', {
        body: ['must be valid JSON'],
      });
    }
    return respond(status, codeForStatus(status), message);
  }
  const fastifyError = exception as FastifyLikeError | null;
  if (
    fastifyError &&
    typeof fastifyError.statusCode === 'number' &&
    fastifyError.statusCode >= 400 &&
    fastifyError.statusCode < 500
  ) {
    const status = fastifyError.statusCode;
    if (exception instanceof SyntaxError || /JSON/.test(fastifyError.code ?? '')) {
      return respond(400, ErrorCode.ValidationFailed, 'The request body is not valid JSON', {
        body: ['must be valid JSON'],
      });
    }
    if (status === 413) {
      return respond(413, ErrorCode.PayloadTooLarge, 'The request body is too large');
    }
    return respond(status, codeForStatus(status), fastifyError.message ?? 'Bad request');
  }
  return respond(500, ErrorCode.InternalError, 'Internal server error', undefined, {}, true);
}

function httpExceptionMessage(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') {
    return response;
  }
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) {
    return message.join('; ');
  }
  return typeof message === 'string' ? message : exception.message;
}
