import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AppConfig } from './app-config';
import { EnvSchema } from './env.schema';

/** Raised when an environment variable is invalid; the message names every bad variable. */
export class ConfigError extends Error {}

const EXAMPLE_PLACEHOLDER = /^change-me/;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = plainToInstance(EnvSchema, { ...env }, { excludeExtraneousValues: false });
  const errors = validateSync(parsed, { skipMissingProperties: false, forbidUnknownValues: false });
  if (errors.length > 0) {
    throw new ConfigError(`Invalid environment:\n${errors.map(describe).join('\n')}`);
  }
  const nodeEnv = parsed.NODE_ENV ?? 'development';
  if (nodeEnv === 'production') {
    for (const name of ['JWT_SECRET', 'ENCRYPTION_KEY', 'ADMIN_PASSWORD', 'MASTER_API_KEY'] as const) {
      const value = parsed[name];
      if (value && EXAMPLE_PLACEHOLDER.test(value)) {
        throw new ConfigError(
          `Invalid environment:\n- ${name}: still has the .env.example placeholder value`,
        );
      }
    }
  }
  if (parsed.DATABASE_URL) {
    // Replicas share one database, so they must share these instead of each generating its own.
    const missing = (['ENCRYPTION_KEY', 'JWT_SECRET'] as const).filter((name) => !parsed[name]);
    if (missing.length > 0) {
      throw new ConfigError(
        `Invalid environment:\n${missing.map((name) => `- ${name}: required when DATABASE_URL is set (every replica must use the same value)`).join('\n')}`,
      );
    }
  }
  const dataDir = resolve(parsed.DATA_DIR ?? './data');
  return {
    env: nodeEnv,
    version: readVersion(),
    http: {
      host: parsed.HOST ?? '0.0.0.0',
      port: parsed.PORT ?? 4270,
      corsOrigins: parseOrigins(parsed.CORS_ORIGINS),
      trustProxy: parseTrustProxy(parsed.TRUST_PROXY),
    },
    auth: {
      adminPassword: parsed.ADMIN_PASSWORD,
      requireAdminLogin: parsed.REQUIRE_ADMIN_LOGIN ?? true,
      masterApiKey: parsed.MASTER_API_KEY,
      jwtSecret: parsed.JWT_SECRET,
    },
    encryptionKey: parsed.ENCRYPTION_KEY ? decodeKey(parsed.ENCRYPTION_KEY) : undefined,
    database: parsed.DATABASE_URL
      ? { driver: 'postgres', url: parsed.DATABASE_URL }
      : { driver: 'sqlite', path: join(dataDir, 'keypool.sqlite') },
    redisUrl: parsed.REDIS_URL,
    redisPrefix: parsed.REDIS_PREFIX ?? 'keypool:',
    dataDir,
    log: { level: parsed.LOG_LEVEL ?? 'log', format: parsed.LOG_FORMAT ?? 'text' },
    allowPrivateUpstreams: parsed.ALLOW_PRIVATE_UPSTREAMS ?? true,
    metricsToken: parsed.METRICS_TOKEN,
    bootstrapUpstream:
      parsed.UPSTREAM_URL && parsed.UPSTREAM_KEYS
        ? { url: parsed.UPSTREAM_URL, format: parsed.UPSTREAM_FORMAT ?? 'openai', keys: parsed.UPSTREAM_KEYS }
        : undefined,
  };
}

function describe(error: ValidationError): string {
  const messages = Object.values(error.constraints ?? {});
  return `- ${error.property}: ${messages.join('; ')}`;
}

function parseTrustProxy(value: string | undefined): boolean | number | string[] {
  const text = value?.trim() ?? 'false';
  if (text === 'true' || text === 'false') {
    return text === 'true';
  }
  if (/^\d+$/.test(text)) {
    return Number(text);
  }
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function parseOrigins(value: string | undefined): string[] | '*' {
  if (!value || value.trim() === '*') {
    return '*';
  }
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function decodeKey(value: string): Buffer {
  const key = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  if (key.length !== 32) {
    throw new ConfigError('Invalid environment:\n- ENCRYPTION_KEY: must decode to exactly 32 bytes');
  }
  return key;
}

function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
