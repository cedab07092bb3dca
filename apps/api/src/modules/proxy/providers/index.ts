import type { UpstreamFormat } from '@keypool/shared';
import { anthropicProvider } from './anthropic.provider';
import { geminiProvider } from './gemini.provider';
import { openAiProvider } from './openai.provider';
import type { ProviderConfig } from './provider.types';

export const PROVIDERS: Readonly<Record<UpstreamFormat, ProviderConfig>> = {
  openai: openAiProvider,
  anthropic: anthropicProvider,
  gemini: geminiProvider,
};
