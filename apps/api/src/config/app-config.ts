import type { UpstreamFormat } from '@keypool/shared';

/** Typed, validated boot configuration. Defaults live in `load-config.ts` only. */
export interface AppConfig {
  env: 'development' | 'production' | 'test';
  version: string;
  http: {
    host: string;
    port: number;
    corsOrigins: string[] | '*';
    /** Fastify `trustProxy`: who may set X-Forwarded-For. */
    trustProxy: boolean | number | string[];
  };
  auth: {
    /** Unset: generated on first start, printed once, stored hashed. */
    adminPassword: string | undefined;
    requireAdminLogin: boolean;
    masterApiKey: string | undefined;
    /** Unset: generated once and stored. */
    jwtSecret: string | undefined;
  };
  /** Unset: generated once and stored in DATA_DIR. 32 bytes. */
  encryptionKey: Buffer | undefined;
  database: { driver: 'sqlite'; path: string } | { driver: 'postgres'; url: string };
  redisUrl: string | undefined;
  /** Prefix of every Redis key and pub/sub channel (default `keypool:`). */
  redisPrefix: string;
  dataDir: string;
  log: { level: 'fatal' | 'error' | 'warn' | 'log' | 'debug' | 'verbose'; format: 'text' | 'json' };
  allowPrivateUpstreams: boolean;
  metricsToken: string | undefined;
  /** Env bootstrap of a default upstream and its keys. */
  bootstrapUpstream: { url: string; format: UpstreamFormat; keys: string } | undefined;
}

/** DI token for `AppConfig`. */
export const APP_CONFIG = Symbol('APP_CONFIG');
