import { Injectable } from '@nestjs/common';
import type { KeyEventInput, RequestOutcome } from './request-outcome';

/**
 * CONTRACT (keep these signatures): `record` and `recordKeyEvent` are synchronous, never throw and never
 * touch the database on the caller's path; rows are buffered and written in batches.
 * (Placeholder implementation; the logs module fills in buffering, flushing and rollups.)
 */
@Injectable()
export class LogWriter {
  record(_outcome: RequestOutcome): void {}

  recordKeyEvent(_event: KeyEventInput): void {}
}
