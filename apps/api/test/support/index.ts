/** Shared helpers for keypool's e2e specs. See README.md in this folder. */
export { adminClient, httpJson, type AdminClient, type HttpResult } from './admin-client';
export {
  KEYPOOL_MAIN,
  TEST_ADMIN_PASSWORD,
  startKeypool,
  type KeypoolProcess,
  type StartKeypoolOptions,
} from './keypool-process';
export { countInputTokens, replyChunks, replyText, startMock } from './mock';
export type { MockBehavior, MockUpstream, MockUpstreamOptions, RecordedRequest } from './mock';
export { anthropicClient, openaiClient } from './sdk-clients';
export { TEST_MASTER_KEY, setupPool, type Pool, type SetupPoolOptions } from './setup-pool';
export { waitFor } from './wait-for';
