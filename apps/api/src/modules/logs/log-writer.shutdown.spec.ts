import { OutcomeClass } from '@keypool/shared';
import type { HttpAdapterHost } from '@nestjs/core';
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppConfig } from '../../config/app-config';
import type { SettingsService } from '../settings/settings.service';
import { DEFAULT_SETTINGS } from '../settings/settings.defaults';
import { LiveCounters } from './live-counters';
import { LogWriter } from './log-writer.service';
import type { RequestOutcome } from './request-outcome';
import type { LogBatch } from './store/log-batch';
import type { LogStore } from './store/log-store';

function outcome(requestId: string): RequestOutcome {
  return {
    startedAt: Date.now(),
    requestId,
    clientKeyId: null,
    method: 'POST',
    path: '/v1/chat/completions',
    format: 'openai',
    modelRequested: 'gpt-4o-mini',
    modelResolved: null,
    upstreamId: 'up-1',
    keyId: 'key-1',
    attempts: [],
    status: 200,
    outcome: OutcomeClass.Success,
    stream: false,
    latencyMs: 5,
    ttfbMs: 2,
    promptTokens: null,
    completionTokens: null,
    totalTokens: null,
    cachedTokens: null,
    reasoningTokens: null,
    error: null,
    clientIp: null,
  };
}

/** Records what reaches the database and in which order; each batch takes `writeMs`. */
class FakeStore {
  readonly written: string[] = [];
  readonly steps: string[] = [];

  constructor(private readonly writeMs = 0) {}

  async writeBatch(batch: LogBatch): Promise<void> {
    this.steps.push(`write ${batch.rows}`);
    await new Promise((resolve) => setTimeout(resolve, this.writeMs));
    // An encoded row is its column values; the request id comes second.
    this.written.push(...(JSON.parse(batch.encodedRows.arrayText()) as string[][]).map((r) => r[1]));
    this.steps.push('committed');
  }

  close(): Promise<void> {
    this.steps.push('close');
    return Promise.resolve();
  }
}

function writerFor(store: FakeStore, server: Server | null): LogWriter {
  const settings = { current: () => DEFAULT_SETTINGS } as unknown as SettingsService;
  const adapterHost = {
    // `close` as Fastify's: resolves when the server reports closed.
    httpAdapter: server
      ? {
          getHttpServer: () => server,
          close: () => new Promise<void>((resolve) => server.close(() => resolve())),
        }
      : undefined,
  } as unknown as HttpAdapterHost;
  return new LogWriter(
    store as unknown as LogStore,
    settings,
    new LiveCounters(),
    { log: { format: 'text' } } as AppConfig,
    adapterHost,
  );
}

describe(`${LogWriter.name} batching and shutdown`, () => {
  let server: Server | null = null;

  afterEach(() => {
    server?.closeAllConnections();
    server?.close();
    server = null;
  });

  it('should log requests answered on keep-alive connections after the shutdown began', async () => {
    const store = new FakeStore();
    let writer: LogWriter | null = null;
    // Like the proxy: answer after a while, then record once the response is out.
    server = createServer((req, res) => {
      setTimeout(() => {
        res.end('ok');
        writer!.record(outcome(req.url!.slice(1)));
      }, 30);
    });
    writer = writerFor(store, server);
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    const answered: string[] = [];
    let sent = 0;
    // Four clients loop over their keep-alive connections until the server refuses them.
    const client = async () => {
      while (sent < 400) {
        const id = `r${sent++}`;
        const ok = await new Promise<boolean>((resolve) => {
          const req = request({ host: '127.0.0.1', port, path: `/${id}`, agent }, (res) => {
            res.resume();
            res.on('end', () => resolve(true));
            res.on('error', () => resolve(false));
          });
          req.on('error', () => resolve(false));
          req.end();
        });
        if (!ok) {
          return;
        }
        answered.push(id);
      }
    };
    const clients = Promise.all([client(), client(), client(), client()]);
    await new Promise((resolve) => setTimeout(resolve, 150));
    await writer.beforeApplicationShutdown();
    await writer.onApplicationShutdown();
    await clients;
    agent.destroy();
    expect(answered.length).toBeGreaterThan(4);
    expect(answered.length).toBeLessThan(400);
    expect(store.written.sort()).toEqual([...answered].sort());
    expect(store.steps.at(-1)).toBe('close');
    expect(writer.state()).toMatchObject({ bufferedRows: 0, droppedRows: 0 });
  });

  it('should wait for a batch a timer flush is still writing before the store closes', async () => {
    const store = new FakeStore(50);
    const writer = writerFor(store, null);
    writer.record(outcome('a'));
    writer.record(outcome('b'));
    // The timer's flush took both rows out of the buffer and is writing them.
    void writer.flush();
    expect(writer.state().bufferedRows).toBe(0);
    await writer.beforeApplicationShutdown();
    await writer.onApplicationShutdown();
    expect(store.steps).toEqual(['write 2', 'committed', 'close']);
    expect(store.written).toEqual(['a', 'b']);
  });

  it('should leave rows recorded during a write to the next batch, and still drain them at shutdown', async () => {
    const store = new FakeStore(30);
    const writer = writerFor(store, null);
    writer.record(outcome('a'));
    const first = writer.flush();
    // Arrives while the first batch is being written: one larger transaction later, not a tiny one now.
    writer.record(outcome('b'));
    await first;
    expect(store.steps).toEqual(['write 1', 'committed']);
    expect(writer.state().bufferedRows).toBe(1);
    await writer.beforeApplicationShutdown();
    await writer.onApplicationShutdown();
    expect(store.written).toEqual(['a', 'b']);
  });

  it('should count a row recorded after the writer closed instead of losing it silently', async () => {
    const store = new FakeStore();
    const writer = writerFor(store, null);
    await writer.beforeApplicationShutdown();
    await writer.onApplicationShutdown();
    writer.record(outcome('late'));
    expect(writer.state().droppedRows).toBe(1);
    expect(store.written).toEqual([]);
  });
});
