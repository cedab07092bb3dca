import type {
  CreateUpstreamRequest,
  KeyResponse,
  UpdateSettingsRequest,
  UpstreamFormat,
  UpstreamResponse,
} from '@keypool/shared';
import type Anthropic from '@anthropic-ai/sdk';
import type OpenAI from 'openai';
import { adminClient, type AdminClient } from './admin-client';
import { startKeypool, type KeypoolProcess, type StartKeypoolOptions } from './keypool-process';
import { startMock, type MockUpstream, type MockUpstreamOptions } from './mock';
import { anthropicClient, openaiClient } from './sdk-clients';

export const TEST_MASTER_KEY = 'test-master-key';

export interface SetupPoolOptions {
  /** Upstream format (default `openai`). */
  format?: UpstreamFormat;
  /** Number of keys (named `<format>-key-1`...) or the exact secrets. Default 3. */
  keys?: number | string[];
  mock?: MockUpstreamOptions;
  keypool?: StartKeypoolOptions;
  /** Extra fields of the upstream (name, modelPatterns, strategy...). */
  upstream?: Partial<CreateUpstreamRequest>;
  /** Applied through `PUT /api/settings` after login. */
  settings?: UpdateSettingsRequest;
  /** MASTER_API_KEY of the keypool process (default `test-master-key`; `null` = none, proxy open). */
  masterKey?: string | null;
}

export interface Pool {
  mock: MockUpstream;
  keypool: KeypoolProcess;
  /** Logged in. */
  admin: AdminClient;
  upstream: UpstreamResponse;
  /** In creation order, matching `secrets`. */
  keys: KeyResponse[];
  secrets: string[];
  /** What clients present to keypool ('' when the proxy is open). */
  masterKey: string;
  /** SDK clients at keypool with the master key. */
  openai: OpenAI;
  anthropic: Anthropic;
  /** Stops keypool and the mock. */
  close(): Promise<void>;
}

/**
 * Mock upstream + keypool + one upstream pointing at the mock (`/v1` or `/v1beta`) with N keys.
 * Stops what it started if any step fails.
 */
export async function setupPool(options: SetupPoolOptions = {}): Promise<Pool> {
  const format = options.format ?? 'openai';
  const secrets = Array.isArray(options.keys)
    ? options.keys
    : Array.from({ length: options.keys ?? 3 }, (_, i) => `${format}-key-${i + 1}`);
  const masterKey = options.masterKey === undefined ? TEST_MASTER_KEY : options.masterKey;
  const mock = await startMock(options.mock);
  let keypool: KeypoolProcess | undefined;
  try {
    keypool = await startKeypool({
      ...options.keypool,
      env: { ...(masterKey ? { MASTER_API_KEY: masterKey } : {}), ...options.keypool?.env },
    });
    const admin = adminClient(keypool.url);
    await admin.login();
    if (options.settings) {
      await admin.updateSettings(options.settings);
    }
    const upstream = await admin.createUpstream({
      name: `mock-${format}`,
      baseUrl: `${mock.url}${format === 'gemini' ? '/v1beta' : '/v1'}`,
      format,
      modelPatterns: ['*'],
      ...options.upstream,
    });
    const keys: KeyResponse[] = [];
    for (const [i, secret] of secrets.entries()) {
      keys.push(await admin.addKey({ upstreamId: upstream.id, secret, name: `key ${i + 1}` }));
    }
    const running = keypool;
    return {
      mock,
      keypool: running,
      admin,
      upstream,
      keys,
      secrets,
      masterKey: masterKey ?? '',
      openai: openaiClient(running.url, masterKey ?? 'no-master-key'),
      anthropic: anthropicClient(running.url, masterKey ?? 'no-master-key'),
      close: async () => {
        await running.stop();
        await mock.close();
      },
    };
  } catch (error) {
    await keypool?.stop();
    await mock.close();
    throw error;
  }
}
