import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AppConfig } from '../../config/app-config';
import { ProxyHandler } from './proxy.handler';

/** URL prefixes served by the proxy: OpenAI + Anthropic (`/v1`, `/api/v1` for the seed's clients), Gemini. */
export const PROXY_PREFIXES = ['/v1/', '/api/v1/', '/v1beta/'] as const;

export function isProxyUrl(url: string): boolean {
  return url.startsWith('/v1/') || url.startsWith('/v1beta/') || url.startsWith('/api/v1/');
}

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Puts the proxy in front of Fastify on the HTTP server: proxy URLs go straight to `ProxyHandler`,
 * everything else to Fastify (admin API, SPA, docs) as before.
 *
 * Measured on the benchmark: as Fastify routes, every proxy request also paid for Fastify's routing,
 * hooks (incl. Nest's middleware runner), request/reply objects and content-type parser (an
 * AsyncResource per request) — about a tenth of keypool's CPU per request, for nothing the proxy uses:
 * it reads the body bytes itself (limit from live settings), answers in the caller's dialect, and
 * authenticates with client keys rather than the admin JWT guard. A Nest controller would add guards,
 * interceptors and the router execution context on top.
 */
export function configureProxyHttp(app: NestFastifyApplication, _config: AppConfig): Promise<void> {
  const handler = app.get(ProxyHandler, { strict: false });
  attachProxy(app.getHttpServer(), handler);
  return Promise.resolve();
}

/** Routes proxy URLs of `server` to `handler`, the rest to the listeners already attached (Fastify). */
export function attachProxy(server: Server, handler: ProxyHandler): void {
  const others = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (isProxyUrl(req.url ?? '/')) {
      handler.dispatch(req, res);
      return;
    }
    for (const listener of others) {
      listener.call(server, req, res);
    }
  });
}
