import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';

/**
 * Extra environment for a keypool process under test: selects Postgres and/or Redis when the suite
 * runs against them (`E2E_DATABASE_URL`, `E2E_REDIS_URL`), SQLite and in-memory state otherwise.
 *
 * Every instance gets its own empty database and Redis key prefix, so tests never see each other's
 * rows or key state. Replicas that must behave as one gateway pass the same `shareWith` group: they get
 * the same database, prefix, encryption key and JWT secret.
 */
export interface BackendEnvOptions {
  /** Group name shared by the replicas of one test; instances in a group share all backend state. */
  shareWith?: string;
  /** Use this Redis instead of `E2E_REDIS_URL` (e.g. a throwaway server the test stops and starts). */
  redisUrl?: string;
}

interface Backend {
  env: Record<string, string>;
  database: string | null;
  redisPrefix: string | null;
}

const DB_PREFIX = 'keypool_e2e_';
const backends = new Map<string, Promise<Backend>>();
/** What this process created and has not disposed of yet; removed at exit when a spec forgot. */
const leftovers = { databases: new Set<string>(), redis: new Set<string>() };
let exitCleanupInstalled = false;
let sweptStale: Promise<void> | null = null;
let counter = 0;

export function backendEnv(
  instanceId: string,
  options: BackendEnvOptions = {},
): Promise<Record<string, string>> {
  const group = options.shareWith ? `group:${options.shareWith}` : `instance:${instanceId}:${counter++}`;
  const cacheKey = `${group}|${options.redisUrl ?? ''}`;
  let backend = backends.get(cacheKey);
  if (!backend) {
    backend = createBackend(options.shareWith ?? instanceId, options.redisUrl);
    backends.set(cacheKey, backend);
  }
  return backend.then((b) => ({ ...b.env }));
}

/** True when the suite runs against Postgres (`E2E_DATABASE_URL` set). */
export function usesPostgres(): boolean {
  return Boolean(process.env.E2E_DATABASE_URL);
}

/** True when the suite runs against Redis (`E2E_REDIS_URL` set). */
export function usesRedis(): boolean {
  return Boolean(process.env.E2E_REDIS_URL);
}

/** Drops the databases and Redis keys this process created. Call from `afterAll` after stopping keypool. */
export async function disposeBackendEnvs(): Promise<void> {
  const all = await Promise.allSettled([...backends.values()]);
  backends.clear();
  for (const result of all) {
    if (result.status !== 'fulfilled') {
      continue;
    }
    const { database, redisPrefix, env } = result.value;
    if (database) {
      leftovers.databases.delete(database);
      await withAdminClient((client) =>
        client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`),
      ).catch(() => undefined);
    }
    if (redisPrefix && env.REDIS_URL) {
      leftovers.redis.delete(JSON.stringify([env.REDIS_URL, redisPrefix]));
      await deleteRedisPrefix(env.REDIS_URL, redisPrefix).catch(() => undefined);
    }
  }
}

async function createBackend(name: string, redisUrlOverride: string | undefined): Promise<Backend> {
  const env: Record<string, string> = {};
  let database: string | null = null;
  let redisPrefix: string | null = null;
  const tag = `${process.pid}_${slug(name)}_${randomBytes(3).toString('hex')}`;

  const adminUrl = process.env.E2E_DATABASE_URL;
  if (adminUrl) {
    await sweepStaleDatabases();
    database = `${DB_PREFIX}${tag}`.slice(0, 63);
    const db = database;
    await withAdminClient((client) => client.query(`CREATE DATABASE "${db}"`));
    leftovers.databases.add(db);
    installExitCleanup();
    const url = new URL(adminUrl);
    url.pathname = `/${database}`;
    env.DATABASE_URL = url.toString();
    // Replicas sharing a database must share the secrets: a key encrypted by one is decrypted by another.
    env.ENCRYPTION_KEY = randomBytes(32).toString('hex');
    env.JWT_SECRET = randomBytes(32).toString('hex');
  }

  const redisUrl = redisUrlOverride ?? process.env.E2E_REDIS_URL;
  if (redisUrl) {
    redisPrefix = `kp-e2e:${tag}:`;
    leftovers.redis.add(JSON.stringify([redisUrl, redisPrefix]));
    installExitCleanup();
    env.REDIS_URL = redisUrl;
    env.REDIS_PREFIX = redisPrefix;
  }
  return { env, database, redisPrefix };
}

/** Drops test databases left behind by test processes that no longer run (killed runs, crashes). */
function sweepStaleDatabases(): Promise<void> {
  sweptStale ??= withAdminClient(async (client) => {
    const rows: Array<{ datname: string }> = await client.query(
      `SELECT datname FROM pg_database WHERE datname LIKE '${DB_PREFIX}%'`,
    );
    for (const { datname } of rows) {
      const pid = Number(/^keypool_e2e_(\d+)_/.exec(datname)?.[1]);
      if (pid && pid !== process.pid && !isAlive(pid)) {
        await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`).catch(() => undefined);
      }
    }
  }).catch(() => undefined);
  return sweptStale;
}

/** A one-connection client on the server's maintenance database (TypeORM drives `pg` for us). */
async function withAdminClient<T>(fn: (client: DataSource) => Promise<T>): Promise<T> {
  const client = new DataSource({ type: 'postgres', url: process.env.E2E_DATABASE_URL, extra: { max: 1 } });
  await client.initialize();
  try {
    return await fn(client);
  } finally {
    await client.destroy();
  }
}

async function deleteRedisPrefix(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 1000 });
  // A test may have stopped its private Redis already; nothing to clean up then.
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    let cursor = '0';
    for (let i = 0; i < 10_000; i++) {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length > 0) {
        await redis.del(...keys);
      }
      cursor = next;
      if (cursor === '0') {
        break;
      }
    }
  } finally {
    redis.disconnect();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function slug(value: string): string {
  return (
    value
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 24) || 'x'
  );
}

/**
 * Most specs never call `disposeBackendEnvs`; at exit (synchronous only) a short child process drops
 * what is left, so CI's Postgres and Redis do not fill up with test databases and keys.
 */
function installExitCleanup(): void {
  if (exitCleanupInstalled) {
    return;
  }
  exitCleanupInstalled = true;
  process.once('exit', () => {
    if (leftovers.databases.size === 0 && leftovers.redis.size === 0) {
      return;
    }
    const job = JSON.stringify({
      adminUrl: process.env.E2E_DATABASE_URL ?? null,
      databases: [...leftovers.databases],
      redis: [...leftovers.redis].map((entry) => JSON.parse(entry) as [string, string]),
    });
    spawnSync(process.execPath, ['-e', EXIT_CLEANUP_SCRIPT, job], {
      cwd: __dirname,
      stdio: 'ignore',
      timeout: 15_000,
    });
  });
}

const EXIT_CLEANUP_SCRIPT = `
const job = JSON.parse(process.argv[1]);
(async () => {
  if (job.adminUrl && job.databases.length > 0) {
    const { Client } = require('pg');
    const client = new Client({ connectionString: job.adminUrl });
    await client.connect();
    for (const db of job.databases) {
      await client.query('DROP DATABASE IF EXISTS "' + db + '" WITH (FORCE)').catch(() => {});
    }
    await client.end();
  }
  const Redis = require('ioredis');
  for (const [url, prefix] of job.redis) {
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 1000 });
    redis.on('error', () => {});
    try {
      await redis.connect();
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', prefix + '*', 'COUNT', 500);
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    } catch {}
    redis.disconnect();
  }
})().catch(() => {}).finally(() => process.exit(0));
`;
