import { spawnSync } from 'node:child_process';
import type { AppConfig } from '../../config/app-config';
import { RedisConnection } from './redis-connection.service';

/** Redis for the integration specs of this folder; they skip (and say so) when it is not configured. */
export const TEST_REDIS_URL = process.env.E2E_REDIS_URL;
export const REDIS_SKIP_NOTE = TEST_REDIS_URL
  ? ''
  : ' [skipped: set E2E_REDIS_URL to run against a real Redis]';

/** Opens a connection as a replica would, with a prefix private to the calling spec. */
export function openTestConnection(prefix: string, url = TEST_REDIS_URL): RedisConnection {
  return new RedisConnection({ redisUrl: url, redisPrefix: prefix } as AppConfig);
}

/** Waits (bounded) until `check` holds. */
export async function eventually(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) {
      throw new Error('condition not met in time');
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export async function dropPrefix(connection: RedisConnection): Promise<void> {
  const client = connection.client;
  if (!client || !connection.isUp()) {
    return;
  }
  const keys = await client.keys(`${connection.prefix}*`);
  if (keys.length > 0) {
    await client.del(...keys);
  }
}

/** True when a `redis-server` binary is on PATH (needed by specs that stop and restart their own Redis). */
export function hasRedisServerBinary(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}
