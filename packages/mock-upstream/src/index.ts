export { countInputTokens, embeddingOf, replyChunks, replyText } from './content';
export { DEFAULT_MODELS, startMockUpstream, type MockConfigRequest } from './server';
export type {
  MockBehavior,
  MockCredential,
  MockDialect,
  MockUpstream,
  MockUpstreamOptions,
  RecordedRequest,
} from './types';
