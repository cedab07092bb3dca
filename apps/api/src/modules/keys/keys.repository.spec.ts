import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DRIVERS, openTestDatabase } from '../../../test/support/test-database';
import { UpstreamEntity } from '../upstreams/upstream.entity';
import { ApiKeyEntity } from './api-key.entity';
import { KeysRepository } from './keys.repository';

describe.each(TEST_DRIVERS)(`${KeysRepository.name} state changes on %s`, (driver) => {
  let dataSource: DataSource;
  let drop: () => Promise<void>;
  let keys: KeysRepository;
  let keyId: string;

  beforeAll(async () => {
    ({ dataSource, drop } = await openTestDatabase(driver));
    keys = new KeysRepository(dataSource.getRepository(ApiKeyEntity));
    const upstream = await dataSource.getRepository(UpstreamEntity).save({
      name: 'up',
      baseUrl: 'http://127.0.0.1:9/v1',
      format: 'openai',
      modelPatterns: ['*'],
      aliases: [],
      strategy: null,
      timeoutMs: null,
    });
    const key = await dataSource.getRepository(ApiKeyEntity).save({
      upstreamId: upstream.id,
      secretEncrypted: 'v1.x.y.z',
      secretHash: 'a'.repeat(64),
      secretHint: 'sk-…abcd',
      tags: [],
      disabledReason: null,
      rpmLimit: null,
      tpmLimit: null,
      dailyLimit: null,
    });
    keyId = key.id;
  });

  afterAll(() => drop());

  it('should change a key once when several replicas mark it invalid at the same moment', async () => {
    const results = await Promise.all([
      keys.markInvalid(keyId),
      keys.markInvalid(keyId),
      keys.markInvalid(keyId),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await keys.markInvalid(keyId)).toBe(false);
    const row = await dataSource.getRepository(ApiKeyEntity).findOneByOrFail({ id: keyId });
    expect(row).toMatchObject({ enabled: false, disabledReason: 'invalid' });
  });

  it('should re-enable a disabled key once, and mark a manually disabled key invalid', async () => {
    expect(await keys.reenable(keyId)).toBe(true);
    expect(await keys.reenable(keyId)).toBe(false);
    await dataSource
      .getRepository(ApiKeyEntity)
      .update({ id: keyId }, { enabled: false, disabledReason: 'manual' });
    expect(await keys.markInvalid(keyId)).toBe(true);
    expect(await keys.markInvalid('00000000-0000-4000-8000-000000000000')).toBe(false);
  });
});
