import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Agent, type Dispatcher } from 'undici';
import { policyLookup } from '../../../common/net/upstream-url-policy';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config';
import { UpstreamCall } from './upstream-call';

export interface UpstreamTarget {
  origin: string;
  /** Path part of the upstream's baseUrl, without trailing slash (`/v1`). */
  basePath: string;
}

/**
 * The one HTTP client towards upstreams: an undici Agent keeps a keep-alive connection pool per origin.
 * Timeouts are the pipeline's (TTFB, idle, overall), so undici's own are off. Every new connection
 * checks the addresses it resolves against the upstream URL policy.
 */
@Injectable()
export class UpstreamClient implements OnApplicationShutdown {
  private readonly agent: Agent;
  private readonly targets = new Map<string, UpstreamTarget>();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.agent = new Agent({
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 10 * 60_000,
      headersTimeout: 0,
      bodyTimeout: 0,
      connect: { timeout: 10_000, lookup: policyLookup(config.allowPrivateUpstreams) },
    });
  }

  target(baseUrl: string): UpstreamTarget {
    let target = this.targets.get(baseUrl);
    if (!target) {
      const url = new URL(baseUrl);
      target = { origin: url.origin, basePath: url.pathname.replace(/\/+$/, '') };
      this.targets.set(baseUrl, target);
    }
    return target;
  }

  request(options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData> {
    return this.agent.request(options);
  }

  /** The proxy's hot path: a dispatch handler instead of `request()` (see `UpstreamCall`). */
  send(options: Dispatcher.DispatchOptions): UpstreamCall {
    const call = new UpstreamCall();
    this.agent.dispatch(options, call);
    return call;
  }

  // Not onModuleDestroy: Nest runs every destroy hook before the log writer has emptied the HTTP server,
  // so requests still being served at SIGTERM would fail with 502 and wrongly blame healthy keys.
  async onApplicationShutdown(): Promise<void> {
    await this.agent.close();
  }
}
