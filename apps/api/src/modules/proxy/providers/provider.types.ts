import type { UpstreamFormat } from '@keypool/shared';

/** How keypool speaks to one kind of upstream. Declarative; the pipeline does the rest. */
export interface ProviderConfig {
  format: UpstreamFormat;
  /** Header carrying the pool key. */
  authHeader(secret: string): readonly [name: string, value: string];
  /** Headers added when the client did not send them (Anthropic's version). */
  defaultHeaders?: Readonly<Record<string, string>>;
  /**
   * Whether a streamed response of this format is framed as SSE (it may carry comment keep-alives and
   * SSE error events). Gemini streams are SSE only with `alt=sse`.
   */
  streamIsSse(query: string): boolean;
}
