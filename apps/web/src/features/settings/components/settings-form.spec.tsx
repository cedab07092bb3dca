import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { buildSettings } from '@/testing/builders';
import { renderWithProviders } from '@/testing/render';
import { server } from '@/testing/server';
import { SettingsForm } from './settings-form';

describe(SettingsForm.name, () => {
  it('should validate numbers against their range', async () => {
    const { user } = renderWithProviders(<SettingsForm settings={buildSettings()} />);
    const field = screen.getByLabelText('Failure-rate threshold');
    await user.clear(field);
    await user.type(field, '1.5');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('At most 1')).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('should confirm the changes and send only what changed', async () => {
    let body: unknown;
    server.use(
      http.put('/api/settings', async ({ request }) => {
        body = await request.json();
        return HttpResponse.json(
          buildSettings({ strategy: 'weighted', retryableStatuses: [429, 500, 'timeout'] }),
        );
      }),
    );
    const { user } = renderWithProviders(<SettingsForm settings={buildSettings()} />);
    await user.click(screen.getByRole('combobox', { name: 'Strategy' }));
    await user.click(screen.getByRole('option', { name: 'Weighted' }));
    const statuses = screen.getByLabelText('Retry on');
    await user.clear(statuses);
    await user.type(statuses, '429, 500 timeout');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    const dialog = await screen.findByRole('dialog', { name: 'Apply these settings?' });
    expect(within(dialog).getByText('Round robin → Weighted')).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(body).toEqual({ strategy: 'weighted', retryableStatuses: [429, 500, 'timeout'] }),
    );
    expect(await screen.findByText(/Settings saved/)).toBeInTheDocument();
  });

  it('should refuse an unknown retry status', async () => {
    const { user } = renderWithProviders(<SettingsForm settings={buildSettings()} />);
    const statuses = screen.getByLabelText('Retry on');
    await user.clear(statuses);
    await user.type(statuses, '429, teapot');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText(/teapot is not an HTTP status/)).toBeInTheDocument();
  });

  it('should reset to defaults after confirmation', async () => {
    let resets = 0;
    server.use(
      http.post('/api/settings/reset', () => {
        resets++;
        return HttpResponse.json(buildSettings());
      }),
    );
    const { user } = renderWithProviders(<SettingsForm settings={buildSettings({ maxAttempts: 7 })} />);
    await user.click(screen.getByRole('button', { name: 'Reset to defaults' }));
    const dialog = screen.getByRole('dialog', { name: 'Reset every setting?' });
    await user.click(within(dialog).getByRole('button', { name: 'Reset' }));
    await waitFor(() => expect(resets).toBe(1));
  });

  it('should float a summary of unsaved changes only while there are some', async () => {
    const { user } = renderWithProviders(<SettingsForm settings={buildSettings()} />);
    const bar = screen.getByRole('region', { name: 'Save settings' });
    expect(bar).not.toHaveStyle({ position: 'sticky' });
    expect(within(bar).getByRole('button', { name: 'Save changes' })).toBeDisabled();

    await user.click(screen.getByRole('combobox', { name: 'Strategy' }));
    await user.click(screen.getByRole('option', { name: 'Weighted' }));
    const maxAttempts = screen.getByLabelText('Max attempts');
    await user.clear(maxAttempts);
    await user.type(maxAttempts, '5');
    expect(bar).toHaveStyle({ position: 'sticky' });
    expect(within(bar).getByText('2 unsaved changes')).toBeInTheDocument();
    expect(within(bar).getByText('Strategy, Max attempts')).toBeInTheDocument();
    expect(within(bar).getByRole('button', { name: 'Save changes' })).toBeEnabled();

    await user.click(within(bar).getByRole('button', { name: 'Discard' }));
    expect(bar).not.toHaveStyle({ position: 'sticky' });
    expect(screen.getByRole('combobox', { name: 'Strategy' })).toHaveTextContent('Round robin');
    expect(within(bar).getByRole('button', { name: 'Reset to defaults' })).toBeInTheDocument();
  });
});
