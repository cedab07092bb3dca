import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { buildUpstream, validationFailed } from '@/testing/builders';
import { renderWithProviders } from '@/testing/render';
import { server } from '@/testing/server';
import { UpstreamFormDialog } from './upstream-form-dialog';

describe(UpstreamFormDialog.name, () => {
  it('should fill base URL and format from a preset and create the upstream', async () => {
    let body: unknown;
    server.use(
      http.post('/api/upstreams', async ({ request }) => {
        body = await request.json();
        return HttpResponse.json(buildUpstream({ name: 'anthropic' }), { status: 201 });
      }),
    );
    const onClose = vi.fn();
    const { user } = renderWithProviders(<UpstreamFormDialog open onClose={onClose} />);
    const dialog = screen.getByRole('dialog', { name: 'Add an upstream' });
    await user.click(within(dialog).getByRole('button', { name: 'Anthropic' }));
    expect(within(dialog).getByLabelText('Base URL')).toHaveValue('https://api.anthropic.com/v1');
    expect(within(dialog).getByLabelText('Name')).toHaveValue('anthropic');
    await user.click(within(dialog).getByRole('button', { name: 'Add upstream' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(body).toMatchObject({
      name: 'anthropic',
      baseUrl: 'https://api.anthropic.com/v1',
      format: 'anthropic',
      modelPatterns: ['claude-*'],
      strategy: null,
      timeoutMs: null,
      enabled: true,
    });
  });

  it('should use the Gemini native preset with the gemini format', async () => {
    const { user } = renderWithProviders(<UpstreamFormDialog open onClose={vi.fn()} />);
    const dialog = screen.getByRole('dialog', { name: 'Add an upstream' });
    await user.click(within(dialog).getByRole('button', { name: 'Gemini (native)' }));
    expect(within(dialog).getByLabelText('Base URL')).toHaveValue(
      'https://generativelanguage.googleapis.com/v1beta',
    );
    expect(within(dialog).getByRole('combobox', { name: 'Format' })).toHaveTextContent('Gemini (native)');
  });

  it('should refuse an invalid URL before calling the API', async () => {
    const { user } = renderWithProviders(<UpstreamFormDialog open onClose={vi.fn()} />);
    const dialog = screen.getByRole('dialog', { name: 'Add an upstream' });
    await user.type(within(dialog).getByLabelText('Name'), 'x');
    await user.type(within(dialog).getByLabelText('Base URL'), 'not a url');
    await user.click(within(dialog).getByRole('button', { name: 'Add upstream' }));
    expect(await within(dialog).findByText('This is not a valid URL')).toBeInTheDocument();
  });

  it('should show the server refusal of a base URL on the field', async () => {
    server.use(
      http.post('/api/upstreams', () =>
        HttpResponse.json(validationFailed({ baseUrl: ['cloud metadata addresses are refused'] }), {
          status: 400,
        }),
      ),
    );
    const { user } = renderWithProviders(<UpstreamFormDialog open onClose={vi.fn()} />);
    const dialog = screen.getByRole('dialog', { name: 'Add an upstream' });
    await user.type(within(dialog).getByLabelText('Name'), 'meta');
    await user.type(within(dialog).getByLabelText('Base URL'), 'http://169.254.169.254/v1');
    await user.click(within(dialog).getByRole('button', { name: 'Add upstream' }));
    expect(await within(dialog).findByText('cloud metadata addresses are refused')).toBeInTheDocument();
  });
});
