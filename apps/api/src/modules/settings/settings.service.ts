import { Injectable } from '@nestjs/common';
import type { Settings } from '@keypool/shared';
import { DEFAULT_SETTINGS } from './settings.defaults';

/**
 * Runtime settings, cached in memory. CONTRACT used by the proxy and balancer (keep these signatures):
 * - `current()` is synchronous and cheap (called per request);
 * - `onChange(listener)` fires after every successful update/reset and returns an unsubscribe function.
 * (Placeholder implementation; the settings module fills in persistence and the admin API.)
 */
@Injectable()
export class SettingsService {
  private settings: Settings = { ...DEFAULT_SETTINGS };
  private readonly listeners = new Set<(settings: Settings) => void>();

  current(): Settings {
    return this.settings;
  }

  onChange(listener: (settings: Settings) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
