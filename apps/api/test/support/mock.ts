import { startMockUpstream, type MockUpstream, type MockUpstreamOptions } from '@keypool/mock-upstream';

export type {
  MockBehavior,
  MockUpstream,
  MockUpstreamOptions,
  RecordedRequest,
} from '@keypool/mock-upstream';
export { replyText, replyChunks, countInputTokens } from '@keypool/mock-upstream';

/** Starts the mock upstream on 127.0.0.1 with a free port. Close it with `mock.close()`. */
export function startMock(options: MockUpstreamOptions = {}): Promise<MockUpstream> {
  return startMockUpstream({ host: '127.0.0.1', port: 0, ...options });
}
