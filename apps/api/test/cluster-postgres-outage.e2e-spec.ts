import type { HealthResponse } from '@keypool/shared';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  TEST_MASTER_KEY,
  adminClient,
  httpJson,
  openaiClient,
  startKeypool,
  startMock,
  waitFor,
} from './support';
import type { KeypoolProcess, MockUpstream } from './support';
import { backendEnv, disposeBackendEnvs } from './support/backend-env';
import { tcpRelay, untilServes, type Replica, type TcpRelay } from './support/cluster';

const HAS_POSTGRES = Boolean(process.env.E2E_DATABASE_URL);
const SKIP_NOTE = HAS_POSTGRES ? '' : ' [skipped: needs E2E_DATABASE_URL (a Postgres to cut off)]';
const MODEL = 'gpt-4o-mini';

describe.skipIf(!HAS_POSTGRES)(`keypool while Postgres is unreachable${SKIP_NOTE}`, () => {
  let mock: MockUpstream;
  let relay: TcpRelay;
  let keypool: KeypoolProcess;
  let replica: Replica;
  let database: DataSource;

  beforeAll(async () => {
    mock = await startMock();
    const env = await backendEnv('pg-outage');
    const direct = new URL(env.DATABASE_URL);
    relay = await tcpRelay(Number(direct.port || 5432), direct.hostname);
    const viaRelay = new URL(direct);
    viaRelay.port = String(relay.port);
    keypool = await startKeypool({
      env: { ...env, DATABASE_URL: viaRelay.toString(), MASTER_API_KEY: TEST_MASTER_KEY },
    });
    const admin = adminClient(keypool.url);
    await admin.login();
    replica = { process: keypool, admin, openai: openaiClient(keypool.url, TEST_MASTER_KEY) };
    const upstream = await admin.createUpstream({
      name: 'pg-outage-mock',
      baseUrl: `${mock.url}/v1`,
      format: 'openai',
      modelPatterns: ['*'],
    });
    await admin.addKey({ upstreamId: upstream.id, secret: 'pg-outage-key', name: 'only key' });
    await untilServes(replica, MODEL);
    database = await new DataSource({
      type: 'postgres',
      url: direct.toString(),
      extra: { max: 1 },
    }).initialize();
  }, 120_000);

  afterAll(async () => {
    await keypool?.stop();
    await relay?.close();
    await database?.destroy();
    await mock?.close();
    await disposeBackendEnvs();
  });

  it('should keep proxying while the database is away and write the held log rows when it returns', async () => {
    const chat = () =>
      replica.openai.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] });
    const rows = async () =>
      Number((await database.query<Array<{ n: string }>>('SELECT count(*) AS n FROM request_logs'))[0].n);
    await waitFor(async () => (await rows()) >= 1, 10_000);
    const before = await rows();

    await relay.cut();
    const during = 25;
    for (let i = 0; i < during; i++) {
      await chat();
    }
    const health = await httpJson<HealthResponse>('GET', `${keypool.url}/health`);
    expect(health.status).toBe(503);
    expect(health.body.database.ok).toBe(false);
    expect(await rows()).toBe(before);

    await relay.restore();
    // The writer retries with a capped backoff; every held row lands once the database answers.
    await waitFor(async () => (await rows()) === before + during, 45_000, 250);
    expect(mock.requests('pg-outage-key').length).toBe(before + during);
  }, 90_000);
});
