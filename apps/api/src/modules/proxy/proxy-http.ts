import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../../config/app-config';
import { ProxyHandler } from './proxy.handler';

/** URL prefixes served by the proxy: OpenAI + Anthropic (`/v1`, `/api/v1` for the seed's clients), Gemini. */
export const PROXY_PREFIXES = ['/v1', '/api/v1', '/v1beta'] as const;

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * Registers the proxy routes directly on Fastify, in their own encapsulated context: request bodies
 * are left unread for the proxy to read itself as bytes (no JSON parsing by the framework, the body
 * limit comes from live settings), and no Nest guard or interceptor runs. Measured: a Nest controller
 * with `@Req/@Res` adds the router-execution-context, guards and interceptors per request for nothing
 * the proxy uses.
 */
export async function configureProxyHttp(app: NestFastifyApplication, _config: AppConfig): Promise<void> {
  const handler = app.get(ProxyHandler, { strict: false });
  await registerProxyRoutes(app.getHttpAdapter().getInstance(), handler);
}

/** The proxy routes on a Fastify instance (also used by tests that run the pipeline without the app). */
export async function registerProxyRoutes(fastify: FastifyInstance, handler: ProxyHandler): Promise<void> {
  await fastify.register((proxy: FastifyInstance, _opts, done) => {
    proxy.removeAllContentTypeParsers();
    // Leave the body stream untouched; ProxyExchange reads it with the settings' limit.
    proxy.addContentTypeParser('*', (_req, _payload, parsed) => parsed(null));
    for (const prefix of PROXY_PREFIXES) {
      proxy.route({ method: [...METHODS], url: `${prefix}/*`, handler: handler.handle });
      proxy.route({ method: 'OPTIONS', url: `${prefix}/*`, handler: handler.preflight });
    }
    done();
  });
}
