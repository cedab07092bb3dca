import { DEFAULT_ANTHROPIC_VERSION } from '../http/headers';
import type { ProviderConfig } from './provider.types';

export const anthropicProvider: ProviderConfig = {
  format: 'anthropic',
  authHeader: (secret) => ['x-api-key', secret],
  defaultHeaders: { 'anthropic-version': DEFAULT_ANTHROPIC_VERSION },
  streamIsSse: () => true,
};
