import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HealthResponse } from '@keypool/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TOKEN = 'scrape-secret';

/** Starts the built keypool on a free port and resolves its base URL. */
function startKeypool(dataDir: string): Promise<{ child: ChildProcess; baseUrl: string }> {
  const child = spawn(process.execPath, [join(__dirname, '..', 'dist', 'main.js')], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      METRICS_TOKEN: TOKEN,
      ADMIN_PASSWORD: 'admin-password-1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`keypool did not start:\n${out}`)), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /keypool listening on (http:\/\/[^\s]+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ child, baseUrl: match[1] });
      }
    });
    child.on('exit', (code) => reject(new Error(`keypool exited with ${code}:\n${out}`)));
  });
}

describe('GET /health and GET /metrics', () => {
  let dir: string;
  let child: ChildProcess;
  let baseUrl: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'keypool-metrics-'));
    ({ child, baseUrl } = await startKeypool(dir));
  });

  afterAll(() => {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('should report ready with the database driver and no secrets', async () => {
    const res = await fetch(`${baseUrl}/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as HealthResponse;
    expect(body).toMatchObject({
      status: 'ok',
      database: { ok: true, driver: 'sqlite' },
      redis: { configured: false },
    });
    expect(body.uptimeSeconds).toBeGreaterThanOrEqual(0);
  });

  it('should refuse a scrape without the metrics token', async () => {
    expect((await fetch(`${baseUrl}/metrics`)).status).toBe(401);
    expect((await fetch(`${baseUrl}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(
      401,
    );
  });

  it('should serve Prometheus text with the keypool families', async () => {
    const res = await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    // Every non-comment line is `name{labels} value`.
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) {
      expect(line).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? [-+0-9.eE]+|NaN|[+-]Inf$/);
    }
    for (const family of [
      'keypool_requests_total',
      'keypool_request_duration_seconds',
      'keypool_log_buffer_rows',
      'keypool_log_rows_dropped_total',
      'keypool_in_flight_requests',
      'keypool_process_cpu_seconds_total',
    ]) {
      expect(text).toContain(`# TYPE ${family}`);
    }
  });
});
