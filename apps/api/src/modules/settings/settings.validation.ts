import type { Settings } from '@keypool/shared';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { fieldErrors } from '../../common/validation/validation-pipe';
import { SettingsDto } from './dto/settings.dto';
import { DEFAULT_SETTINGS } from './settings.defaults';

/** Rules that span fields; returns a field -> messages map (empty when consistent). */
export function crossFieldErrors(settings: Settings): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  if (settings.breakerMaxCooldownMs < settings.breakerCooldownMs) {
    errors.breakerMaxCooldownMs = ['breakerMaxCooldownMs must be at least breakerCooldownMs'];
  }
  if (new Set(settings.retryableStatuses).size !== settings.retryableStatuses.length) {
    errors.retryableStatuses = ['retryableStatuses must not repeat a status'];
  }
  return errors;
}

/**
 * Builds settings from stored values: each stored field that is still valid wins, anything else
 * (unknown, corrupt, from an older version) falls back to its default.
 */
export function settingsFromStored(stored: Record<string, unknown>): Settings {
  const merged: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const key of Object.keys(DEFAULT_SETTINGS)) {
    if (key in stored) {
      merged[key] = stored[key];
    }
  }
  const instance = plainToInstance(SettingsDto, merged);
  const bad = fieldErrors(validateSync(instance, { whitelist: true }));
  for (const key of Object.keys(bad)) {
    const field = key.split('.')[0] as keyof Settings;
    merged[field] = DEFAULT_SETTINGS[field];
  }
  const result = merged as unknown as Settings;
  return Object.keys(crossFieldErrors(result)).length > 0 ? { ...DEFAULT_SETTINGS } : result;
}
