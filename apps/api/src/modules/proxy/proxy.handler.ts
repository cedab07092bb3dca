import { Inject, Injectable, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { OutgoingHttpHeaders } from 'node:http';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { BalancerService } from '../balancer/balancer.service';
import { ClientAuthService } from '../client-keys/client-auth.service';
import { LogWriter } from '../logs/log-writer.service';
import { SettingsService } from '../settings/settings.service';
import { dialectErrorBody } from './errors/dialect-error';
import { corsHeaders, preflightHeaders } from './http/cors';
import { requestIdFrom } from './http/headers';
import { ModelsCatalog } from './models/models-catalog.service';
import { PoolHeaders } from './pool-headers';
import { ProxyExchange } from './proxy-exchange';
import type { ProxyDeps } from './proxy-deps';
import { resolveRoute } from './routing/resolve-route';
import { UpstreamClient } from './upstream/upstream-client';

/**
 * Entry point of the proxy routes (registered as raw Fastify routes by `configureProxyHttp`, so no Nest
 * guard, pipe or interceptor runs on the hot path). Each request becomes one `ProxyExchange`.
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

  handle = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    reply.hijack();
    const { raw: req } = request;
    const res = reply.raw;
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
    await new ProxyExchange(this.deps, req, res, route, requestId, base, request.ip ?? null).run();
  };

  preflight = (request: FastifyRequest, reply: FastifyReply): void => {
    reply.hijack();
    const headers = preflightHeaders(this.config.http.corsOrigins, request.raw.headers);
    reply.raw.writeHead(204, headers).end();
  };
}
