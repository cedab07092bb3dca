import type { KeyEventEntity } from './key-event.entity';
import { storableText } from './log-row.mapper';
import type { KeyEventInput } from './request-outcome';

export type KeyEventRow = Omit<KeyEventEntity, 'id'>;

export function toKeyEventRow(event: KeyEventInput, now: number): KeyEventRow {
  return {
    ts: event.at ?? now,
    keyId: event.keyId,
    upstreamId: event.upstreamId,
    type: event.type,
    message: storableText(event.message.slice(0, 2000)),
    details: event.details ?? null,
  };
}
