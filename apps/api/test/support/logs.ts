import type { CursorPage, RequestLogResponse } from '@keypool/shared';
import type { AdminClient } from './admin-client';

/** Every request log row through `GET /api/logs` (newest first), following the cursor. */
export async function fetchAllLogs(admin: AdminClient, filter = ''): Promise<RequestLogResponse[]> {
  const rows: RequestLogResponse[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 1000; page++) {
    const query = `limit=200${filter ? `&${filter}` : ''}${cursor ? `&cursor=${cursor}` : ''}`;
    const res = await admin.request('GET', `/api/logs?${query}`);
    if (res.status !== 200) {
      throw new Error(`GET /api/logs answered ${res.status}: ${JSON.stringify(res.body)}`);
    }
    const body = res.body as CursorPage<RequestLogResponse>;
    rows.push(...body.items);
    cursor = body.nextCursor;
    if (!cursor) {
      return rows;
    }
  }
  throw new Error('GET /api/logs: too many pages');
}

/** Sums the samples of one Prometheus family whose labels contain all of `labels`. */
export function metricSum(text: string, family: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${family}{`) && !line.startsWith(`${family} `)) {
      continue;
    }
    const wanted = Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`));
    if (wanted) {
      sum += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return sum;
}
