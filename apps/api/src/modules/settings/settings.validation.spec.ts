import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { fieldErrors } from '../../common/validation/validation-pipe';
import { UpdateSettingsDto } from './dto/settings.dto';
import { DEFAULT_SETTINGS } from './settings.defaults';
import { crossFieldErrors, settingsFromStored } from './settings.validation';

const errorsOf = (body: Record<string, unknown>) =>
  fieldErrors(
    validateSync(plainToInstance(UpdateSettingsDto, body), { whitelist: true, forbidNonWhitelisted: true }),
  );

describe('settings validation', () => {
  it('should accept the defaults and an empty patch', () => {
    expect(errorsOf({ ...DEFAULT_SETTINGS })).toEqual({});
    expect(errorsOf({})).toEqual({});
  });

  it.each([
    [{ strategy: 'random' }, 'strategy', /one of: round-robin/],
    [{ maxAttempts: 0 }, 'maxAttempts', /integer from 1 to 20/],
    [{ maxAttempts: 2.5 }, 'maxAttempts', /integer/],
    [{ maxAttempts: '3' }, 'maxAttempts', /integer/],
    [{ failureRateThreshold: 1.5 }, 'failureRateThreshold', /from 0 to 1/],
    [{ retryableStatuses: [429, 200] }, 'retryableStatuses', /400-599/],
    [{ retryableStatuses: 'network' }, 'retryableStatuses', /array/],
    [{ bodyLogging: 'some' }, 'bodyLogging', /off, errors, all/],
    [{ requestTimeoutMs: 10 }, 'requestTimeoutMs', /1000 to 3600000/],
    [{ dayBoundaryUtcOffsetHours: 15 }, 'dayBoundaryUtcOffsetHours', /-12 to 14/],
    [{ affinityHeader: 'bad header' }, 'affinityHeader', /header name/],
    [{ affinityEnabled: 'yes' }, 'affinityEnabled', /true or false/],
    [{ logRetentionDays: 0 }, 'logRetentionDays', /1 to 3650/],
    [{ surprise: 1 }, 'surprise', /not an allowed field/],
  ])('should reject %j naming %s', (body, field, message) => {
    const errors = errorsOf(body);
    expect(Object.keys(errors)).toEqual([field]);
    expect(errors[field]?.join(' ')).toMatch(message);
  });

  it('should require the breaker ceiling to be at least the first cooldown', () => {
    expect(
      crossFieldErrors({ ...DEFAULT_SETTINGS, breakerCooldownMs: 60_000, breakerMaxCooldownMs: 30_000 }),
    ).toEqual({
      breakerMaxCooldownMs: ['breakerMaxCooldownMs must be at least breakerCooldownMs'],
    });
    expect(crossFieldErrors({ ...DEFAULT_SETTINGS, retryableStatuses: [429, 429] })).toHaveProperty(
      'retryableStatuses',
    );
  });

  it('should keep valid stored values and fall back to defaults for invalid or unknown ones', () => {
    const settings = settingsFromStored({
      maxAttempts: 5,
      strategy: 'bogus',
      legacyThing: 1,
      queueTimeoutMs: -1,
    });
    expect(settings.maxAttempts).toBe(5);
    expect(settings.strategy).toBe(DEFAULT_SETTINGS.strategy);
    expect(settings.queueTimeoutMs).toBe(DEFAULT_SETTINGS.queueTimeoutMs);
    expect(settings).not.toHaveProperty('legacyThing');
  });
});
