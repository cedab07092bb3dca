import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Agent, type Dispatcher } from 'undici';
import { UpstreamCall } from './upstream-call';

export interface UpstreamTarget {
  origin: string;
  /** Path part of the upstream's baseUrl, without trailing slash (`/v1`). */
  basePath: string;
}

/**
 * The one HTTP client towards upstreams: an undici Agent keeps a keep-alive connection pool per origin.
 * Timeouts are the pipeline's (TTFB, idle, overall), so undici's own are off.
 */
@Injectable()
export class UpstreamClient implements OnModuleDestroy {
  private readonly agent = new Agent({
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 10 * 60_000,
    headersTimeout: 0,
    bodyTimeout: 0,
    connect: { timeout: 10_000 },
  });
  private readonly targets = new Map<string, UpstreamTarget>();

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

  async onModuleDestroy(): Promise<void> {
    await this.agent.close();
  }
}
