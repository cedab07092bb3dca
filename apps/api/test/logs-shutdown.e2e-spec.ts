import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disposeBackendEnvs } from './support/backend-env';
import { fetchAllLogs } from './support/logs';
import { setupPool, type Pool } from './support';

const WORKERS = 16;
/** Bounds the load loop even if keypool never goes away. */
const MAX_REQUESTS = 20_000;

describe('Request logs across a SIGTERM under sustained load', () => {
  let pool: Pool;

  beforeAll(async () => {
    // A little upstream latency keeps requests in flight when the signal arrives.
    pool = await setupPool({ keys: 3, mock: { defaultBehavior: { latencyMs: 40, chunkDelayMs: 10 } } });
  });

  afterAll(async () => {
    await pool?.close();
    await disposeBackendEnvs();
  });

  it('should have a log row for every request that got a response before exit', async () => {
    const answered = new Map<string, number>();
    let sent = 0;
    let stopping = false;
    const worker = async () => {
      while (sent < MAX_REQUESTS) {
        const id = `load-${sent++}`;
        const stream = sent % 4 === 0;
        try {
          if (stream) {
            const chunks = await pool.openai.chat.completions.create(
              { model: 'gpt-4o-mini', messages: [{ role: 'user', content: id }], stream: true },
              { headers: { 'x-request-id': id } },
            );
            for await (const chunk of chunks) {
              void chunk;
            }
          } else {
            await pool.openai.chat.completions.create(
              { model: 'gpt-4o-mini', messages: [{ role: 'user', content: id }] },
              { headers: { 'x-request-id': id } },
            );
          }
          answered.set(id, 200);
        } catch (error) {
          if (error instanceof OpenAI.APIError && typeof error.status === 'number') {
            answered.set(id, error.status);
          } else if (stopping) {
            return; // connection refused or cut: the process is going or gone
          } else {
            throw error;
          }
        }
      }
    };
    const load = Promise.all(Array.from({ length: WORKERS }, worker));
    await new Promise((resolve) => setTimeout(resolve, 2500));
    stopping = true;
    // Nest re-raises the signal after its shutdown hooks ran, so the exit code is not the check: the rows are.
    await pool.keypool.stop('SIGTERM');
    await load;
    expect(answered.size).toBeGreaterThan(50);
    expect(pool.keypool.output()).not.toContain('unwritten');

    await pool.keypool.restart();
    await pool.admin.login();
    const rows = await fetchAllLogs(pool.admin);
    const logged = new Map(rows.map((r) => [r.requestId, r.status]));
    expect(logged.size).toBe(rows.length);
    const missing = [...answered.keys()].filter((id) => !logged.has(id));
    expect(missing, `answered but not logged (of ${answered.size})`).toEqual([]);
    for (const [id, status] of answered) {
      expect(logged.get(id), id).toBe(status);
    }
  }, 120_000);

  it('should stream live stats to an EventSource that passes the token as ?access_token=', async () => {
    const token = pool.admin.token!;
    const base = pool.keypool.url;
    expect((await fetch(`${base}/api/stats/live`)).status).toBe(401);
    expect((await fetch(`${base}/api/stats/summary?access_token=${token}`)).status).toBe(401);
    const controller = new AbortController();
    const res = await fetch(`${base}/api/stats/live?access_token=${encodeURIComponent(token)}`, {
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    let text = '';
    // Node's fetch body is an async iterable of bytes; the first event arrives within about a second.
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      text += Buffer.from(chunk).toString('utf8');
      if (text.includes('\n\n')) {
        break;
      }
    }
    controller.abort();
    expect(text).toMatch(/^(event|data|:|retry)/m);
  });
});
