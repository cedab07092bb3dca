import { act, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { notices } from '@/lib/notify';
import { renderWithProviders } from '@/testing/render';
import { Notifier } from './notifier';

/** A viewport as narrow (or not) as a phone, as far as `matchMedia` tells. */
function viewport(phone: boolean): void {
  vi.stubGlobal('matchMedia', (query: string) => ({
    matches: phone && query.includes('max-width'),
    media: query,
    onchange: null,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    addListener: () => undefined,
    removeListener: () => undefined,
    dispatchEvent: () => false,
  }));
}

function showNotice(message: string): void {
  act(() => notices.push(message, 'success'));
}

describe(Notifier.name, () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    for (const n of notices.snapshot()) {
      act(() => notices.dismiss(n.id));
    }
  });

  it('should show notices at the bottom on wide screens', () => {
    viewport(false);
    renderWithProviders(<main />); // the providers hold the notifier
    showNotice('Saved on a desktop');
    const snackbar = screen.getByText('Saved on a desktop').closest('.MuiSnackbar-root');
    expect(snackbar).toHaveClass('MuiSnackbar-anchorOriginBottomCenter');
  });

  it('should show notices at the top on phones, clear of floating bottom bars', () => {
    viewport(true);
    renderWithProviders(<main />); // the providers hold the notifier
    showNotice('Saved on a phone');
    const snackbar = screen.getByText('Saved on a phone').closest('.MuiSnackbar-root');
    expect(snackbar).toHaveClass('MuiSnackbar-anchorOriginTopCenter');
  });
});
