/** A page of results, newest first. `nextCursor` is null on the last page. */
export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

/** ISO-8601 timestamp string. */
export type IsoDate = string;
