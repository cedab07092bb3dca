import type { ProviderConfig } from './provider.types';

export const openAiProvider: ProviderConfig = {
  format: 'openai',
  authHeader: (secret) => ['authorization', `Bearer ${secret}`],
  streamIsSse: () => true,
};
