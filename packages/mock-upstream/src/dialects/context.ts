import type { Exchange } from '../exchange';

/** What every dialect handler gets besides the exchange. */
export interface DialectContext {
  ex: Exchange;
  /** The request's path after the dialect prefix, e.g. `/chat/completions`, `/models/gemini-2.0-flash:generateContent`. */
  route: string;
  /** The parsed JSON body as an object (empty when absent). */
  body: Record<string, unknown>;
  models: string[];
}

export function str(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
