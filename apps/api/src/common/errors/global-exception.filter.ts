import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toErrorResponse } from './to-error-response';

/**
 * The one place errors become HTTP responses: the admin envelope under /api, the caller's dialect on the
 * proxy surfaces. Unknown errors are logged (message and stack only: never request bodies) and answered
 * with a bare 500.
 */
@Catch()
export class GlobalExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') {
      throw exception;
    }
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    sendError(exception, request, reply, this.logger);
  }
}

export function sendError(
  exception: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  logger: Logger,
): void {
  const retryAfter = reply.getHeader('retry-after');
  const response = toErrorResponse(
    exception,
    request.url,
    typeof retryAfter === 'string' ? retryAfter : undefined,
  );
  if (response.unexpected) {
    const error = exception instanceof Error ? exception : new Error(String(exception));
    logger.error(
      `${request.method} ${request.url.split('?')[0]}: ${error.name}: ${error.message}`,
      error.stack,
    );
  }
  if (reply.sent) {
    // A stream already started: nothing sensible can be sent any more.
    reply.raw.destroy();
    return;
  }
  for (const [name, value] of Object.entries(response.headers)) {
    void reply.header(name, value);
  }
  void reply.status(response.status).send(response.body);
}
