import type { UpstreamFormat } from '@keypool/shared';

/** Common providers: a click fills name, base URL (with its version prefix) and wire format. */
export interface ProviderPreset {
  id: string;
  label: string;
  name: string;
  baseUrl: string;
  format: UpstreamFormat;
  modelPatterns: string[];
}

export const PROVIDER_PRESETS: readonly ProviderPreset[] = [
  {
    id: 'openai',
    label: 'OpenAI',
    name: 'openai',
    baseUrl: 'https://api.openai.com/v1',
    format: 'openai',
    modelPatterns: ['gpt-*', 'o*', 'text-embedding-*'],
  },
  {
    id: 'gemini-openai',
    label: 'Gemini (OpenAI-compatible)',
    name: 'gemini',
    baseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai',
    format: 'openai',
    modelPatterns: ['gemini-*'],
  },
  {
    id: 'gemini',
    label: 'Gemini (native)',
    name: 'gemini-native',
    baseUrl: 'https://generativelanguage.googleapis.com/v1beta',
    format: 'gemini',
    modelPatterns: ['gemini-*'],
  },
  {
    id: 'groq',
    label: 'Groq',
    name: 'groq',
    baseUrl: 'https://api.groq.com/openai/v1',
    format: 'openai',
    modelPatterns: ['*'],
  },
  {
    id: 'mistral',
    label: 'Mistral',
    name: 'mistral',
    baseUrl: 'https://api.mistral.ai/v1',
    format: 'openai',
    modelPatterns: ['mistral-*', 'codestral-*'],
  },
  {
    id: 'openrouter',
    label: 'OpenRouter',
    name: 'openrouter',
    baseUrl: 'https://openrouter.ai/api/v1',
    format: 'openai',
    modelPatterns: ['*'],
  },
  {
    id: 'anthropic',
    label: 'Anthropic',
    name: 'anthropic',
    baseUrl: 'https://api.anthropic.com/v1',
    format: 'anthropic',
    modelPatterns: ['claude-*'],
  },
  {
    id: 'ollama',
    label: 'Ollama (local)',
    name: 'ollama',
    baseUrl: 'http://127.0.0.1:11434/v1',
    format: 'openai',
    modelPatterns: ['*'],
  },
  {
    id: 'vllm',
    label: 'vLLM (local)',
    name: 'vllm',
    baseUrl: 'http://127.0.0.1:8000/v1',
    format: 'openai',
    modelPatterns: ['*'],
  },
];
