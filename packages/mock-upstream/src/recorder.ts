import type { RecordedRequest } from './types';

/** Keeps the most recent requests in arrival order. */
export class Recorder {
  private items: RecordedRequest[] = [];
  private sequence = 0;

  constructor(
    private readonly enabled: boolean,
    private readonly max: number,
  ) {}

  nextId(): number {
    this.sequence += 1;
    return this.sequence;
  }

  add(record: RecordedRequest): void {
    if (!this.enabled) {
      return;
    }
    this.items.push(record);
    if (this.items.length > this.max) {
      this.items.splice(0, this.items.length - this.max);
    }
  }

  list(key?: string): RecordedRequest[] {
    return key === undefined ? [...this.items] : this.items.filter((r) => r.key === key);
  }

  byKey(): Record<string, RecordedRequest[]> {
    const groups: Record<string, RecordedRequest[]> = {};
    for (const record of this.items) {
      (groups[record.key ?? ''] ??= []).push(record);
    }
    return groups;
  }

  clear(): void {
    this.items = [];
  }
}

/** A record as JSON: the body as base64 plus, when it is valid UTF-8 text, as text. */
export function recordToJson(record: RecordedRequest): Record<string, unknown> {
  const { body, ...rest } = record;
  const text = body.toString('utf8');
  return {
    ...rest,
    bodyBase64: body.toString('base64'),
    bodyText: Buffer.from(text, 'utf8').equals(body) ? text : null,
  };
}
