import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { KeyTestResult, UpstreamFormat } from '@keypool/shared';
import { Agent, request } from 'undici';
import { policyLookup, RefusedUpstreamAddressError } from '../../common/net/upstream-url-policy';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';

export interface KeyProbe {
  result: KeyTestResult;
  status: number | null;
  latencyMs: number;
  message: string;
}

const TIMEOUT_MS = 15_000;

/** Headers that carry a key in each upstream format. */
export function authHeaders(format: UpstreamFormat, secret: string): Record<string, string> {
  switch (format) {
    case 'openai':
      return { authorization: `Bearer ${secret}` };
    case 'anthropic':
      return { 'x-api-key': secret, 'anthropic-version': '2023-06-01' };
    case 'gemini':
      return { 'x-goog-api-key': secret };
  }
}

/** Sends the cheapest real request there is (list models) with one key and classifies the answer. */
@Injectable()
export class KeyTester implements OnApplicationShutdown {
  /** Its own connections, under the same address policy as the proxy's. */
  private readonly agent: Agent;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.agent = new Agent({ connect: { lookup: policyLookup(config.allowPrivateUpstreams) } });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.agent.close();
  }

  async probe(baseUrl: string, format: UpstreamFormat, secret: string): Promise<KeyProbe> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const response = await request(`${baseUrl.replace(/\/+$/, '')}/models`, {
        method: 'GET',
        dispatcher: this.agent,
        headers: { accept: 'application/json', ...authHeaders(format, secret) },
        headersTimeout: TIMEOUT_MS,
        bodyTimeout: TIMEOUT_MS,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      // The body is only drained, never echoed: it may quote the key back.
      await response.body.dump();
      return classify(response.statusCode, elapsed());
    } catch (error) {
      const name = (error as Error).name;
      const timedOut = name === 'TimeoutError' || name === 'AbortError' || /Timeout/.test(name);
      return {
        result: 'unreachable',
        status: null,
        latencyMs: elapsed(),
        message: timedOut
          ? `No answer within ${TIMEOUT_MS / 1000} s`
          : error instanceof RefusedUpstreamAddressError
            ? `Refused: ${error.message}`
            : `Could not connect (${(error as { code?: string }).code ?? name})`,
      };
    }
  }
}

export function classify(status: number, latencyMs: number): KeyProbe {
  if (status >= 200 && status < 300) {
    return { result: 'ok', status, latencyMs, message: 'The key works (listed models)' };
  }
  if (status === 401 || status === 403) {
    return { result: 'invalid', status, latencyMs, message: `The upstream rejected the key (${status})` };
  }
  if (status === 429) {
    return {
      result: 'rate_limited',
      status,
      latencyMs,
      message: 'The key is valid but rate limited right now (429)',
    };
  }
  return { result: 'error', status, latencyMs, message: `The upstream answered ${status}` };
}
