import { isGeminiSse } from '../routing/resolve-route';
import type { ProviderConfig } from './provider.types';

/** The key goes in a header, never in the URL where access logs could keep it. */
export const geminiProvider: ProviderConfig = {
  format: 'gemini',
  authHeader: (secret) => ['x-goog-api-key', secret],
  streamIsSse: isGeminiSse,
};
