import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';

/** The official OpenAI SDK pointed at keypool (`${url}/v1`), without SDK retries so tests see every failure. */
export function openaiClient(url: string, apiKey: string): OpenAI {
  return new OpenAI({ baseURL: `${url}/v1`, apiKey, maxRetries: 0 });
}

/** The official Anthropic SDK pointed at keypool (it appends `/v1/messages` itself), without retries. */
export function anthropicClient(url: string, apiKey: string): Anthropic {
  return new Anthropic({ baseURL: url, apiKey, maxRetries: 0 });
}
