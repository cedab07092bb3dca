import type { KeyStatsRow, RequestLogResponse, StatsSummary, TimeseriesResponse } from '@keypool/shared';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disposeBackendEnvs } from './support/backend-env';
import { fetchAllLogs, metricSum } from './support/logs';
import { openaiClient, setupPool, waitFor, type Pool } from './support';

const TOTAL = 500;
const CONCURRENCY = 12;
const METRICS_TOKEN = 'logs-e2e-scrape';

type Kind = 'plain' | 'stream' | 'abort' | 'bad-client-key';

/** What the caller saw for one request. */
interface Seen {
  kind: Kind;
  status: number;
  usage: { prompt: number; completion: number; total: number } | null;
}

function kindOf(i: number): Kind {
  switch (i % 10) {
    case 0:
      return 'bad-client-key';
    case 1:
    case 2:
      return 'stream';
    case 3:
      return 'abort';
    default:
      return 'plain';
  }
}

const messages = (i: number): OpenAI.ChatCompletionMessageParam[] => [
  { role: 'user', content: `request number ${i} ${'word '.repeat(i % 7)}`.trim() },
];

async function send(pool: Pool, badClient: OpenAI, i: number): Promise<Seen> {
  const kind = kindOf(i);
  const headers = { 'x-request-id': `e2e-${i}` };
  const model = i % 2 === 0 ? 'gpt-4o-mini' : 'gpt-4o';
  try {
    if (kind === 'bad-client-key') {
      await badClient.chat.completions.create({ model, messages: messages(i) }, { headers });
      return { kind, status: 200, usage: null };
    }
    if (kind === 'plain') {
      const res = await pool.openai.chat.completions.create({ model, messages: messages(i) }, { headers });
      const u = res.usage!;
      return {
        kind,
        status: 200,
        usage: { prompt: u.prompt_tokens, completion: u.completion_tokens, total: u.total_tokens },
      };
    }
    const controller = new AbortController();
    const stream = await pool.openai.chat.completions.create(
      { model, messages: messages(i), stream: true, stream_options: { include_usage: true } },
      { headers, signal: controller.signal },
    );
    let usage: Seen['usage'] = null;
    for await (const chunk of stream) {
      if (kind === 'abort') {
        controller.abort();
        break;
      }
      if (chunk.usage) {
        usage = {
          prompt: chunk.usage.prompt_tokens,
          completion: chunk.usage.completion_tokens,
          total: chunk.usage.total_tokens,
        };
      }
    }
    return { kind, status: kind === 'abort' ? 499 : 200, usage };
  } catch (error) {
    if (kind === 'abort' && error instanceof OpenAI.APIUserAbortError) {
      return { kind, status: 499, usage: null };
    }
    if (error instanceof OpenAI.APIError && typeof error.status === 'number') {
      return { kind, status: error.status, usage: null };
    }
    throw error;
  }
}

describe('Request logs, stats and metrics over real proxied traffic', () => {
  let pool: Pool;
  const seen = new Map<string, Seen>();
  let rows: RequestLogResponse[] = [];

  beforeAll(async () => {
    pool = await setupPool({
      keys: ['sk-steady-1', 'sk-steady-2', 'sk-flaky-429', 'sk-revoked'],
      keypool: { env: { METRICS_TOKEN } },
      mock: {
        // Streams are paced so an abort after the first chunk lands mid-stream.
        defaultBehavior: { chunkDelayMs: 25 },
        behaviors: {
          'sk-flaky-429': {
            chunkDelayMs: 25,
            flaky: { probability: 0.4, seed: 11, failWith: { mode: 'rate_limit', retryAfterSeconds: 1 } },
          },
          'sk-revoked': { mode: 'unauthorized' },
        },
      },
    });
    const badClient = openaiClient(pool.keypool.url, 'not-the-master-key');
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < TOTAL; i = next++) {
        seen.set(`e2e-${i}`, await send(pool, badClient, i));
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    // Log rows land within about a second of each response (batched writer).
    await waitFor(async () => (rows = await fetchAllLogs(pool.admin)).length >= TOTAL, 20_000, 250);
  }, 300_000);

  afterAll(async () => {
    await pool?.close();
    await disposeBackendEnvs();
  });

  it('should write exactly one log row per request, with the status the caller saw', () => {
    expect(rows).toHaveLength(TOTAL);
    expect(new Set(rows.map((r) => r.requestId))).toEqual(new Set(seen.keys()));
    for (const row of rows) {
      const caller = seen.get(row.requestId)!;
      if (caller.kind === 'abort') {
        expect(row, row.requestId).toMatchObject({ status: 499, outcome: 'client_cancel', stream: true });
      } else {
        expect(row.status, row.requestId).toBe(caller.status);
      }
      if (caller.kind === 'bad-client-key') {
        expect(row.status).toBe(401);
        expect(row.attempts).toHaveLength(0);
        expect(row.keyId).toBeNull();
      }
    }
    // The mix really happened: successes, 429 failovers and the revoked key are all in the trail.
    const attempts = rows.flatMap((r) => r.attempts);
    expect(rows.filter((r) => r.status === 200).length).toBeGreaterThan(TOTAL / 2);
    expect(attempts.some((a) => a.status === 429)).toBe(true);
    expect(attempts.some((a) => a.status === 401)).toBe(true);
    expect(rows.some((r) => r.attempts.length > 1 && r.status === 200)).toBe(true);
  });

  it('should log the key that served each request and the tokens the caller was billed', () => {
    for (const row of rows.filter((r) => r.status === 200)) {
      const caller = seen.get(row.requestId)!;
      const last = row.attempts[row.attempts.length - 1];
      expect(last, row.requestId).toMatchObject({ keyId: row.keyId, outcome: 'success', status: 200 });
      expect(row.attempts.slice(0, -1).every((a) => a.outcome !== 'success')).toBe(true);
      expect(row.stream).toBe(caller.kind === 'stream');
      expect(
        { prompt: row.promptTokens, completion: row.completionTokens, total: row.totalTokens },
        row.requestId,
      ).toEqual(caller.usage);
    }
  });

  it('should agree with what the mock upstream saw, per key', () => {
    for (const [i, key] of pool.keys.entries()) {
      const records = pool.mock.requests(pool.secrets[i]);
      const tried = rows.flatMap((r) => r.attempts).filter((a) => a.keyId === key.id);
      expect(tried.length, key.name).toBe(records.length);
      expect(tried.filter((a) => a.status === 429).length, key.name).toBe(
        records.filter((r) => r.status === 429).length,
      );
      expect(tried.filter((a) => a.status === 401).length, key.name).toBe(
        records.filter((r) => r.status === 401).length,
      );
      const servedTokens = rows
        .filter((r) => r.keyId === key.id && r.outcome === 'success')
        .reduce((sum, r) => sum + (r.completionTokens ?? 0), 0);
      const mockTokens = records
        .filter((r) => r.status === 200 && !r.closedEarly)
        .reduce((sum, r) => sum + (r.usage?.outputTokens ?? 0), 0);
      expect(servedTokens, key.name).toBe(mockTokens);
    }
  });

  it('should answer stats that agree with the raw log rows of the same range', async () => {
    const summary = (await pool.admin.request('GET', '/api/stats/summary?range=1h')).body as StatsSummary;
    const inRange = rows.filter(
      (r) => r.createdAt >= summary.from && Date.parse(r.createdAt) < Date.parse(summary.to),
    );
    expect(inRange).toHaveLength(TOTAL);
    const success = inRange.filter((r) => r.outcome === 'success').length;
    const cancelled = inRange.filter((r) => r.outcome === 'client_cancel').length;
    expect(summary).toMatchObject({
      requests: inRange.length,
      success,
      cancelled,
      promptTokens: inRange.reduce((s, r) => s + (r.promptTokens ?? 0), 0),
      completionTokens: inRange.reduce((s, r) => s + (r.completionTokens ?? 0), 0),
      totalTokens: inRange.reduce((s, r) => s + (r.totalTokens ?? 0), 0),
    });
    expect(summary.errorRate).toBeCloseTo((TOTAL - cancelled - success) / (TOTAL - cancelled), 10);

    const perKey = (await pool.admin.request('GET', '/api/stats/keys?range=1h')).body as KeyStatsRow[];
    for (const key of pool.keys) {
      const mine = inRange.filter((r) => r.keyId === key.id);
      expect(
        perKey.find((k) => k.keyId === key.id),
        key.name,
      ).toMatchObject({
        requests: mine.length,
        success: mine.filter((r) => r.outcome === 'success').length,
        totalTokens: mine.reduce((s, r) => s + (r.totalTokens ?? 0), 0),
      });
    }

    const series = (
      await pool.admin.request('GET', '/api/stats/timeseries?range=1h&bucket=minute&groupBy=status')
    ).body as TimeseriesResponse;
    const byStatus = new Map<string, number>();
    for (const p of series.points) {
      byStatus.set(p.group, (byStatus.get(p.group) ?? 0) + p.requests);
    }
    const classOf = (r: RequestLogResponse) =>
      r.outcome === 'client_cancel'
        ? 'cancelled'
        : r.status === 429
          ? '429'
          : r.status < 400
            ? '2xx'
            : r.status < 500
              ? '4xx'
              : '5xx';
    const expected = new Map<string, number>();
    for (const r of inRange) {
      expected.set(classOf(r), (expected.get(classOf(r)) ?? 0) + 1);
    }
    expect(byStatus).toEqual(expected);
  });

  it('should count the same requests, attempts and tokens in /metrics', async () => {
    const res = await fetch(`${pool.keypool.url}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    const text = await res.text();
    expect(metricSum(text, 'keypool_requests_total')).toBe(TOTAL);
    for (const status of new Set(rows.map((r) => r.status))) {
      expect(metricSum(text, 'keypool_requests_total', { status: String(status) }), `status ${status}`).toBe(
        rows.filter((r) => r.status === status).length,
      );
    }
    expect(metricSum(text, 'keypool_upstream_attempts_total')).toBe(
      rows.reduce((s, r) => s + r.attempts.length, 0),
    );
    expect(metricSum(text, 'keypool_retried_requests_total')).toBe(
      rows.filter((r) => r.attempts.length > 1).length,
    );
    expect(metricSum(text, 'keypool_tokens_total', { type: 'completion' })).toBe(
      rows.reduce((s, r) => s + (r.completionTokens ?? 0), 0),
    );
  });
});
