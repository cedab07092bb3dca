import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { Settings, UpdateSettingsRequest } from '@keypool/shared';
import { ValidationError } from '../../common/errors/app-error';
import { DEFAULT_SETTINGS } from './settings.defaults';
import { SettingsRepository } from './settings.repository';
import { crossFieldErrors, settingsFromStored } from './settings.validation';

/**
 * Runtime settings, cached in memory. CONTRACT used by the proxy and balancer (keep these signatures):
 * - `current()` is synchronous and cheap (called per request);
 * - `onChange(listener)` fires after every successful update/reset/reload that changed something and
 *   returns an unsubscribe function;
 * - `reload()` re-reads the database (another replica changed settings).
 */
@Injectable()
export class SettingsService implements OnModuleInit {
  private readonly logger = new Logger(SettingsService.name);
  private settings: Settings = { ...DEFAULT_SETTINGS };
  private readonly listeners = new Set<(settings: Settings) => void>();

  constructor(private readonly repository: SettingsRepository) {}

  async onModuleInit(): Promise<void> {
    await this.reload();
  }

  current(): Settings {
    return this.settings;
  }

  onChange(listener: (settings: Settings) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async reload(): Promise<Settings> {
    this.replace(settingsFromStored(await this.repository.findRuntimeValues()));
    return this.settings;
  }

  /** Applies a validated partial update; only the given fields are written. */
  async update(patch: UpdateSettingsRequest): Promise<Settings> {
    const changes = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    const next = { ...this.settings, ...changes };
    const errors = crossFieldErrors(next);
    if (Object.keys(errors).length > 0) {
      throw new ValidationError(`Invalid settings: ${Object.keys(errors).join(', ')}`, errors);
    }
    await this.repository.saveRuntimeValues(changes);
    this.replace(next);
    return this.settings;
  }

  async reset(): Promise<Settings> {
    await this.repository.deleteRuntimeValues(Object.keys(DEFAULT_SETTINGS));
    this.replace({ ...DEFAULT_SETTINGS });
    return this.settings;
  }

  private replace(next: Settings): void {
    if (JSON.stringify(next) === JSON.stringify(this.settings)) {
      return;
    }
    this.settings = Object.freeze({ ...next });
    for (const listener of this.listeners) {
      try {
        listener(this.settings);
      } catch (error) {
        this.logger.error(`A settings listener failed: ${(error as Error).message}`);
      }
    }
  }
}
