import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { buildKey, validationFailed } from '@/testing/builders';
import { renderWithProviders } from '@/testing/render';
import { server } from '@/testing/server';
import { KeysPanel } from './keys-panel';

const upstreams = [{ id: 'up-1', name: 'openai' }];

const usage = {
  'key-1': { successRate: 0.5, requests: 10, success: 5, failures: 5, cooldowns: 0 },
  // Only failed attempts: every one moved on to another key, so no request ended here.
  'key-2': { successRate: null, requests: 0, success: 0, failures: 0, cooldowns: 2 },
};

function renderPanel() {
  return renderWithProviders(<KeysPanel upstreams={upstreams} usage={usage} onAddUpstream={vi.fn()} />);
}

describe(KeysPanel.name, () => {
  it('should list keys with state, countdown and success rate', async () => {
    const cooldownUntil = new Date(Date.now() + 90_000).toISOString();
    server.use(
      http.get('/api/keys', () =>
        HttpResponse.json([
          buildKey({ state: { ...buildKey().state, requestsToday: 7 } }),
          buildKey({
            id: 'key-2',
            name: 'backup',
            maskedSecret: 'sk-…wxyz',
            tags: ['team-a'],
            state: { ...buildKey().state, status: 'cooling_down', cooldownUntil },
          }),
        ]),
      ),
    );
    renderPanel();
    const grid = await screen.findByRole('grid');
    expect(await within(grid).findByText('sk-…abcd')).toBeInTheDocument();
    expect(within(grid).getByText('50.0%')).toBeInTheDocument();
    expect(within(grid).getByText('team-a')).toBeInTheDocument();
    expect(
      within(grid).getByText(/^Cooling down · 1 min 2\d s$|^Cooling down · 1 min 30 s$/),
    ).toBeInTheDocument();
  });

  it('should say how a key without any answered request fared', async () => {
    server.use(
      http.get('/api/keys', () =>
        HttpResponse.json([
          buildKey(),
          buildKey({
            id: 'key-2',
            name: 'backup',
            maskedSecret: 'sk-…wxyz',
            state: { ...buildKey().state, requestsToday: 3 },
          }),
          buildKey({ id: 'key-3', name: 'idle', maskedSecret: 'sk-…idle' }),
        ]),
      ),
    );
    const { user } = renderPanel();
    const grid = await screen.findByRole('grid');
    await user.hover(await within(grid).findByText('0 of 3'));
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'Tried 3 times today, and no request succeeded on this key: each attempt failed and moved on to another key, or is still running. 2 cooldowns in the last 24 h.',
    );
    await user.hover(within(grid).getByText('50.0%'));
    expect(
      await screen.findByRole('tooltip', {
        name: /^5 of 10 requests this key answered in the last 24 h succeeded/,
      }),
    ).toBeInTheDocument();
    await user.hover(within(grid).getByText('—'));
    expect(await screen.findByRole('tooltip', { name: 'No requests in the last 24 h' })).toBeInTheDocument();
  });

  it('should send the state filter to the API', async () => {
    const seen: string[] = [];
    server.use(
      http.get('/api/keys', ({ request }) => {
        seen.push(new URL(request.url).search);
        return HttpResponse.json([buildKey()]);
      }),
    );
    const { user } = renderPanel();
    await screen.findByText('sk-…abcd');
    await user.click(screen.getByRole('combobox', { name: 'State' }));
    await user.click(screen.getByRole('option', { name: 'Invalid' }));
    await waitFor(() => expect(seen).toContain('?status=invalid'));
  });

  it('should delete a key only after confirmation', async () => {
    const deleted: string[] = [];
    server.use(
      http.get('/api/keys', () => HttpResponse.json([buildKey()])),
      http.delete('/api/keys/:id', ({ params }) => {
        deleted.push(String(params.id));
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const { user } = renderPanel();
    await user.click(await screen.findByRole('button', { name: 'Delete primary' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete this key?' });
    expect(deleted).toEqual([]);
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(deleted).toEqual(['key-1']));
    expect(await screen.findByText('primary deleted')).toBeInTheDocument();
  });

  it('should put server validation messages on the add form fields', async () => {
    server.use(
      http.get('/api/keys', () => HttpResponse.json([buildKey()])),
      http.post('/api/keys', () =>
        HttpResponse.json(validationFailed({ weight: ['weight must be at most 1000'] }), { status: 400 }),
      ),
    );
    const { user } = renderPanel();
    await screen.findByText('sk-…abcd');
    await user.click(screen.getByRole('button', { name: 'Add key' }));
    const dialog = screen.getByRole('dialog', { name: 'Add a key' });
    await user.type(within(dialog).getByLabelText('API key'), 'sk-new-secret');
    await user.clear(within(dialog).getByLabelText('Weight'));
    await user.type(within(dialog).getByLabelText('Weight'), '5000');
    await user.click(within(dialog).getByRole('button', { name: 'Add key' }));
    expect(await within(dialog).findByText('weight must be at most 1000')).toBeInTheDocument();
    expect(within(dialog).getByLabelText('Weight')).toHaveAttribute('aria-invalid', 'true');
  });

  it('should reject a non-positive weight before calling the API', async () => {
    server.use(http.get('/api/keys', () => HttpResponse.json([buildKey()])));
    const { user } = renderPanel();
    await screen.findByText('sk-…abcd');
    await user.click(screen.getByRole('button', { name: 'Edit primary' }));
    const dialog = screen.getByRole('dialog', { name: 'Edit primary' });
    await user.clear(within(dialog).getByLabelText('Weight'));
    await user.type(within(dialog).getByLabelText('Weight'), '0');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(await within(dialog).findByText('Weight must be a number above 0')).toBeInTheDocument();
  });

  it('should report bulk add results with the skipped keys', async () => {
    let body: unknown;
    server.use(
      http.get('/api/keys', () => HttpResponse.json([buildKey()])),
      http.post('/api/keys/bulk', async ({ request }) => {
        body = await request.json();
        return HttpResponse.json({
          added: 2,
          skipped: [{ key: 'sk-…dupe', reason: 'already in the pool' }],
          keys: [],
        });
      }),
    );
    const { user } = renderPanel();
    await screen.findByText('sk-…abcd');
    await user.click(screen.getByRole('button', { name: 'Paste many' }));
    const dialog = screen.getByRole('dialog', { name: 'Paste many keys' });
    await user.type(within(dialog).getByLabelText('Keys, one per line'), 'a{Enter}b{Enter}c');
    expect(within(dialog).getByText(/^3 keys\./)).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Add keys' }));
    expect(await within(dialog).findByText(/Added 2 keys, skipped 1/)).toBeInTheDocument();
    expect(within(dialog).getByText('already in the pool')).toBeInTheDocument();
    expect(body).toEqual({ upstreamId: 'up-1', secrets: 'a\nb\nc' });
  });
});
