import { ApiProperty, PartialType } from '@nestjs/swagger';
import {
  BodyLogging,
  SELECTION_STRATEGIES,
  type Settings,
  type SelectionStrategy,
  type UpdateSettingsRequest,
} from '@keypool/shared';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsString,
  Matches,
  Max,
  Min,
  ValidateBy,
  type ValidationOptions,
} from 'class-validator';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** An HTTP status 400..599, or the pseudo statuses `network` / `timeout`. */
function IsRetryableStatus(options?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'isRetryableStatus',
      validator: {
        validate: (value: unknown) =>
          value === 'network' ||
          value === 'timeout' ||
          (typeof value === 'number' && Number.isInteger(value) && value >= 400 && value <= 599),
        defaultMessage: () => 'retryableStatuses must hold HTTP statuses 400-599 or "network" / "timeout"',
      },
    },
    options,
  );
}

/** Integer in [min, max] with one message that states the range and unit. */
function IntRange(min: number, max: number, what: string) {
  const message = `must be an integer from ${min} to ${max} (${what})`;
  return (target: object, key: string) => {
    IsInt({ message: `$property ${message}` })(target, key);
    Min(min, { message: `$property ${message}` })(target, key);
    Max(max, { message: `$property ${message}` })(target, key);
  };
}

function Ratio(max = 1) {
  const message = `$property must be a number from 0 to ${max}`;
  return (target: object, key: string) => {
    IsNumber({ allowNaN: false, allowInfinity: false }, { message })(target, key);
    Min(0, { message })(target, key);
    Max(max, { message })(target, key);
  };
}

/** Every runtime setting, validated. GET returns it; PUT accepts any subset (`UpdateSettingsDto`). */
export class SettingsDto implements Settings {
  @ApiProperty({ enum: SELECTION_STRATEGIES, example: 'round-robin' })
  @IsIn(SELECTION_STRATEGIES, { message: `strategy must be one of: ${SELECTION_STRATEGIES.join(', ')}` })
  strategy: SelectionStrategy;

  @ApiProperty({ example: 5, description: 'rotate-every-n: requests per key before moving on' })
  @IntRange(1, 1_000_000, 'requests')
  rotationN: number;

  @ApiProperty({ example: 60_000, description: 'Cooldown after a 429 without reset information (ms)' })
  @IntRange(0, DAY, 'ms, up to 24 h')
  defaultCooldownMs: number;

  @ApiProperty({ example: 3 })
  @IntRange(1, 1000, 'consecutive failures')
  maxFailures: number;

  @ApiProperty({ example: 0.5 })
  @Ratio()
  failureRateThreshold: number;

  @ApiProperty({ example: 60_000 })
  @IntRange(SECOND, DAY, 'ms')
  failureRateWindowMs: number;

  @ApiProperty({ example: 30_000 })
  @IntRange(SECOND, DAY, 'ms')
  breakerCooldownMs: number;

  @ApiProperty({ example: 900_000 })
  @IntRange(SECOND, 7 * DAY, 'ms')
  breakerMaxCooldownMs: number;

  @ApiProperty({ example: 0.5 })
  @Ratio()
  maxEjectionRatio: number;

  @ApiProperty({ example: 3, description: 'Attempts per request, each on a distinct key' })
  @IntRange(1, 20, 'attempts')
  maxAttempts: number;

  @ApiProperty({
    example: [429, 500, 502, 503, 504, 'network', 'timeout'],
    type: 'array',
    items: { oneOf: [{ type: 'integer' }, { type: 'string', enum: ['network', 'timeout'] }] },
  })
  @IsArray({ message: 'retryableStatuses must be an array' })
  @ArrayMaxSize(200)
  @IsRetryableStatus({ each: true })
  retryableStatuses: Array<number | 'network' | 'timeout'>;

  @ApiProperty({ example: 0.2 })
  @Ratio(10)
  retryBudgetRatio: number;

  @ApiProperty({ example: 3 })
  @IntRange(0, 10_000, 'retries')
  retryBudgetMin: number;

  @ApiProperty({ example: 300_000 })
  @IntRange(SECOND, HOUR, 'ms')
  requestTimeoutMs: number;

  @ApiProperty({ example: 60_000 })
  @IntRange(SECOND, HOUR, 'ms')
  ttfbTimeoutMs: number;

  @ApiProperty({ example: 60_000 })
  @IntRange(SECOND, HOUR, 'ms')
  idleTimeoutMs: number;

  @ApiProperty({ example: 10_000, description: '0 = fail fast when no key is usable' })
  @IntRange(0, 10 * MINUTE, 'ms')
  queueTimeoutMs: number;

  @ApiProperty({ example: 20_971_520 })
  @IntRange(1024, 50 * 1024 * 1024, 'bytes, up to 50 MiB')
  bodyLimitBytes: number;

  @ApiProperty({ example: 30 })
  @IntRange(1, 3650, 'days')
  logRetentionDays: number;

  @ApiProperty({ enum: Object.values(BodyLogging), example: 'off' })
  @IsIn(Object.values(BodyLogging), { message: 'bodyLogging must be one of: off, errors, all' })
  bodyLogging: BodyLogging;

  @ApiProperty({ example: 16_384 })
  @IntRange(0, 1024 * 1024, 'bytes, up to 1 MiB')
  bodyLogMaxBytes: number;

  @ApiProperty({ example: 300_000 })
  @IntRange(0, DAY, 'ms')
  modelsCacheTtlMs: number;

  @ApiProperty({ example: 0, description: 'Hour offset of the daily quota boundary from UTC midnight' })
  @IntRange(-12, 14, 'hours')
  dayBoundaryUtcOffsetHours: number;

  @ApiProperty({ example: 'x-keypool-affinity' })
  @IsString({ message: 'affinityHeader must be a string' })
  @Matches(/^[A-Za-z0-9-]{0,100}$/, { message: 'affinityHeader must be a header name (letters, digits, -)' })
  affinityHeader: string;

  @ApiProperty({ example: false })
  @IsBoolean({ message: 'affinityEnabled must be true or false' })
  affinityEnabled: boolean;
}

export class UpdateSettingsDto extends PartialType(SettingsDto) implements UpdateSettingsRequest {}
