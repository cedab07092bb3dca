import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { BalancerService } from '../balancer/balancer.service';
import { ClientAuthService } from '../client-keys/client-auth.service';
import { LogWriter } from '../logs/log-writer.service';
import { SettingsService } from '../settings/settings.service';
import { dialectErrorBody } from '../../common/errors/dialect-error';
import { clientIpFrom } from './http/client-ip';
import { corsHeaders, preflightHeaders } from './http/cors';
import { requestIdFrom } from './http/headers';
import { ModelsCatalog } from './models/models-catalog.service';
import { PoolHeaders } from './pool-headers';
import { ProxyExchange } from './proxy-exchange';
import type { ProxyDeps } from './proxy-deps';
import { resolveRoute } from './routing/resolve-route';
import { UpstreamClient } from './upstream/upstream-client';

/**
 * Entry point of the proxy URLs (attached in front of Fastify by `configureProxyHttp`, so no framework
 * routing, hook, guard or interceptor runs on the hot path). Each request becomes one `ProxyExchange`.
 */
@Injectable()
export class ProxyHandler {
  private readonly deps: ProxyDeps;

  constructor(
    balancer: BalancerService,
    settings: SettingsService,
    clientAuth: ClientAuthService,
    logWriter: LogWriter,
    client: UpstreamClient,
    models: ModelsCatalog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.deps = {
      balancer,
      settings,
      clientAuth,
      logWriter,
      client,
      models,
      logger: new Logger('Proxy'),
      poolHeaders: new PoolHeaders(balancer),
    };
  }

  /** Serves one proxy request; never throws (failures are answered in the caller's dialect). */
  dispatch(req: IncomingMessage, res: ServerResponse): void {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, preflightHeaders(this.config.http.corsOrigins, req.headers)).end();
      return;
    }
    this.handle(req, res).catch((error: unknown) => {
      this.deps.logger.error(`Proxy request failed: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
      }
      res.end();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = requestIdFrom(req.headers, randomUUID);
    const base: OutgoingHttpHeaders = { 'x-request-id': requestId };
    const cors = corsHeaders(this.config.http.corsOrigins, req.headers);
    if (cors) {
      Object.assign(base, cors);
    }
    const route = resolveRoute(req.method ?? 'GET', req.url ?? '/');
    if (!route) {
      const body = dialectErrorBody('openai', { status: 404, message: 'Not found.' });
      res.writeHead(404, { ...base, 'content-type': 'application/json' }).end(body);
      return;
    }
    const ip = clientIpFrom(
      req.headers['x-forwarded-for'],
      req.socket.remoteAddress,
      this.config.http.trustProxy,
    );
    await new ProxyExchange(this.deps, req, res, route, requestId, base, ip).run();
  }
}
