// Backend selection for the browser e2e: SQLite by default; Postgres and/or Redis when the suite runs
// against them (E2E_DATABASE_URL / E2E_REDIS_URL), each run in its own throwaway database and key prefix.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';

const requireFromApi = createRequire(new URL('../../api/package.json', import.meta.url));

/** Returns the extra env for keypool and a cleanup that drops what was created. */
export async function browserBackendEnv() {
  const env = {};
  const cleanups = [];
  const id = randomBytes(6).toString('hex');
  if (process.env.E2E_DATABASE_URL) {
    const { Client } = requireFromApi('pg');
    const database = `keypool_web_e2e_${id}`;
    await withClient(Client, (client) => client.query(`CREATE DATABASE "${database}"`));
    const url = new URL(process.env.E2E_DATABASE_URL);
    url.pathname = `/${database}`;
    Object.assign(env, {
      DATABASE_URL: url.toString(),
      // Postgres mode requires both (replicas must share them); any fixed value serves one test process.
      ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      JWT_SECRET: randomBytes(32).toString('hex'),
    });
    cleanups.push(() =>
      withClient(Client, (client) => client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`)),
    );
  }
  if (process.env.E2E_REDIS_URL) {
    const prefix = `keypool-web-e2e-${id}:`;
    Object.assign(env, { REDIS_URL: process.env.E2E_REDIS_URL, REDIS_PREFIX: prefix });
    cleanups.push(() => deleteRedisPrefix(process.env.E2E_REDIS_URL, prefix));
  }
  const label = [env.DATABASE_URL ? 'Postgres' : 'SQLite', env.REDIS_URL ? 'Redis' : null]
    .filter(Boolean)
    .join(' + ');
  return { env, label, dispose: () => Promise.allSettled(cleanups.map((c) => c())) };
}

async function withClient(Client, work) {
  const client = new Client({ connectionString: process.env.E2E_DATABASE_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function deleteRedisPrefix(url, prefix) {
  const Redis = requireFromApi('ioredis');
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) {
        await redis.del(...keys);
      }
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
