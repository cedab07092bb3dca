import type { RequestLogResponse } from '@keypool/shared';
import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { renderWithProviders } from '@/testing/render';
import { server } from '@/testing/server';
import { LogsPanel } from './logs-panel';

const lookups = {
  keys: [
    { id: 'k1', name: 'alpha' },
    { id: 'k2', name: 'bravo' },
  ],
  upstreams: [{ id: 'u1', name: 'openai' }],
  clients: [],
};

function buildLog(overrides: Partial<RequestLogResponse> = {}): RequestLogResponse {
  return {
    id: '1',
    createdAt: new Date().toISOString(),
    requestId: 'req-1',
    clientKeyId: null,
    method: 'POST',
    path: '/v1/chat/completions',
    format: 'openai',
    modelRequested: 'gpt-4o-mini',
    modelResolved: 'gpt-4o-mini',
    upstreamId: 'u1',
    keyId: 'k2',
    attempts: [
      { keyId: 'k1', upstreamId: 'u1', outcome: 'rate_limited', status: 429, durationMs: 12 },
      { keyId: 'k2', upstreamId: 'u1', outcome: 'success', status: 200, durationMs: 80 },
    ],
    status: 200,
    outcome: 'success',
    stream: false,
    latencyMs: 95,
    ttfbMs: 90,
    error: null,
    clientIp: '127.0.0.1',
    promptTokens: 10,
    completionTokens: 5,
    totalTokens: 15,
    cachedTokens: null,
    reasoningTokens: null,
    ...overrides,
  };
}

describe(LogsPanel.name, () => {
  it('should filter by status class and load older pages with the cursor', async () => {
    const queries: string[] = [];
    server.use(
      http.get('/api/logs', ({ request }) => {
        const url = new URL(request.url);
        queries.push(url.search);
        if (url.searchParams.get('cursor') === 'c2') {
          return HttpResponse.json({ items: [buildLog({ id: '3', requestId: 'req-3' })], nextCursor: null });
        }
        return HttpResponse.json({
          items: [buildLog(), buildLog({ id: '2', status: 429 })],
          nextCursor: 'c2',
        });
      }),
    );
    const { user } = renderWithProviders(<LogsPanel lookups={lookups} />);
    const table = await screen.findByRole('table', { name: 'Request logs' });
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(3));
    await user.click(screen.getByRole('button', { name: 'Load older requests' }));
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(4));
    await user.click(screen.getByRole('combobox', { name: 'Status' }));
    await user.click(screen.getByRole('option', { name: 'Rate limited (429)' }));
    await waitFor(() => expect(queries.some((q) => q.includes('statusClass=429'))).toBe(true));
  });

  it('should show the attempts timeline and logged bodies as plain text', async () => {
    const hostile = '{"content":"<img src=x onerror=alert(1)><b>bold</b>"}';
    server.use(
      http.get('/api/logs', () => HttpResponse.json({ items: [buildLog()], nextCursor: null })),
      http.get('/api/logs/:id', () =>
        HttpResponse.json({ ...buildLog(), requestBody: hostile, responseBody: null }),
      ),
    );
    const { user, container } = renderWithProviders(<LogsPanel lookups={lookups} />);
    const table = await screen.findByRole('table', { name: 'Request logs' });
    await user.click(await within(table).findByRole('row', { name: /^Request 200 gpt-4o-mini/ }));
    const detail = await screen.findByRole('region', { name: 'Request detail' });
    const attempts = within(detail).getByRole('list', { name: 'Attempts' });
    expect(within(attempts).getByText('Attempt 1: rate limited (429)')).toBeInTheDocument();
    expect(within(attempts).getByText(/Key alpha on openai/)).toBeInTheDocument();
    expect(await within(detail).findByText(hostile)).toBeInTheDocument();
    expect(document.querySelector('img[src="x"]')).toBeNull();
    expect(container.ownerDocument.querySelector('b')).toBeNull();
  });
});
