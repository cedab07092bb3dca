import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
} from 'class-validator';

const toBool = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? ['true', '1', 'yes'].includes(value.toLowerCase())
      ? true
      : ['false', '0', 'no'].includes(value.toLowerCase())
        ? false
        : value
    : value;
const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
const blankToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/** Environment variables accepted at boot. Validated once; code reads `AppConfig`, never `process.env`. */
export class EnvSchema {
  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV?: 'development' | 'production' | 'test';

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT?: number;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  HOST?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  @MinLength(8, { message: 'ADMIN_PASSWORD must be at least 8 characters' })
  ADMIN_PASSWORD?: string;

  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'REQUIRE_ADMIN_LOGIN must be true or false' })
  REQUIRE_ADMIN_LOGIN?: boolean;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  @MinLength(8, { message: 'MASTER_API_KEY must be at least 8 characters' })
  MASTER_API_KEY?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @Matches(/^[0-9a-fA-F]{64}$|^[A-Za-z0-9+/=_-]{43,44}$/, {
    message: 'ENCRYPTION_KEY must be 32 bytes as 64 hex characters or base64',
  })
  ENCRYPTION_KEY?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsUrl(
    { protocols: ['postgres', 'postgresql'], require_tld: false },
    { message: 'DATABASE_URL must be a postgres:// URL' },
  )
  DATABASE_URL?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsUrl(
    { protocols: ['redis', 'rediss'], require_tld: false },
    { message: 'REDIS_URL must be a redis:// URL' },
  )
  REDIS_URL?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  DATA_DIR?: string;

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL?: 'fatal' | 'error' | 'warn' | 'log' | 'debug' | 'verbose';

  @IsOptional()
  @IsIn(['text', 'json'])
  LOG_FORMAT?: 'text' | 'json';

  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'ALLOW_PRIVATE_UPSTREAMS must be true or false' })
  ALLOW_PRIVATE_UPSTREAMS?: boolean;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  METRICS_TOKEN?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  CORS_ORIGINS?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsUrl({ require_tld: false, require_protocol: true }, { message: 'UPSTREAM_URL must be an http(s) URL' })
  UPSTREAM_URL?: string;

  @IsOptional()
  @IsIn(['openai', 'anthropic', 'gemini'])
  UPSTREAM_FORMAT?: 'openai' | 'anthropic' | 'gemini';

  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  UPSTREAM_KEYS?: string;

  /** Namespace for every Redis key and channel, so several deployments (or test runs) can share one Redis. */
  @IsOptional()
  @Transform(blankToUndefined)
  @Matches(/^[A-Za-z0-9:_.-]{1,64}$/, {
    message: 'REDIS_PREFIX may contain letters, digits and :_.- (max 64)',
  })
  REDIS_PREFIX?: string;

  /**
   * Which reverse proxies may set X-Forwarded-For (client IPs in logs and the login throttle):
   * `false` (default: none), `true` (any: only behind a proxy that overwrites the header), a hop count,
   * or a comma-separated list of addresses/CIDRs.
   */
  @IsOptional()
  @Transform(blankToUndefined)
  @Matches(/^(true|false|\d{1,2}|[0-9a-fA-F:./,\s]+)$/, {
    message: 'TRUST_PROXY must be true, false, a hop count or a comma-separated list of IPs/CIDRs',
  })
  TRUST_PROXY?: string;
}
