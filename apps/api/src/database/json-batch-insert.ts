import type { SqlDriver } from '../modules/stats/rollups/sql-params';

/** A column written by a JSON batch insert, with the Postgres type its JSON text is cast to. */
export interface BatchColumn {
  name: string;
  pg: 'bigint' | 'integer' | 'text' | 'boolean';
}

/**
 * Many rows in one statement with ONE parameter: a JSON array of row arrays, unpacked by the database
 * (`json_each` on SQLite, `jsonb_array_elements` on Postgres). Binding thousands of positional parameters
 * costs the drivers a conversion per value on the event loop (node-sqlite3 took ~28 µs per log row);
 * encoding a row with `encodeRow` costs a few µs. The SQL text depends only on the table and columns,
 * so it is built once and reused.
 */
export class JsonBatchInsert {
  private readonly sql: string;

  constructor(
    driver: SqlDriver,
    table: string,
    columns: ReadonlyArray<BatchColumn>,
    /** An `ON CONFLICT …` clause for upserts; keys must be unique within one batch. */
    onConflict = '',
  ) {
    const names = columns.map((c) => `"${c.name}"`).join(', ');
    const tail = `WHERE true${onConflict ? ` ${onConflict}` : ''}`;
    if (driver === 'postgres') {
      // jsonb: each row's fields are read by index without re-parsing its text.
      const picks = columns.map((c, i) => (c.pg === 'text' ? `r ->> ${i}` : `(r ->> ${i})::${c.pg}`));
      this.sql = `INSERT INTO "${table}" (${names}) SELECT ${picks.join(', ')} FROM jsonb_array_elements($1::jsonb) AS r ${tail}`;
    } else {
      // MATERIALIZED renders each row's JSON once; without it json_each re-renders it for every column.
      const picks = columns.map((_, i) => `r ->> ${i}`);
      this.sql =
        `WITH "batch"(r) AS MATERIALIZED (SELECT "value" FROM json_each(?)) ` +
        `INSERT INTO "${table}" (${names}) SELECT ${picks.join(', ')} FROM "batch" ${tail}`;
    }
  }

  /** One statement for rows encoded by `encodeRow`. */
  statement(encodedRows: readonly string[]): { sql: string; params: unknown[] } {
    return this.arrayStatement(`[${encodedRows.join(',')}]`);
  }

  /** One statement for a JSON array of encoded rows (`JsonRowBuffer.arrayText`). */
  arrayStatement(jsonArray: string): { sql: string; params: unknown[] } {
    return { sql: this.sql, params: [jsonArray] };
  }
}

/** A row's values in column order (numbers, strings, booleans or null) as the JSON a batch carries. */
export function encodeRow(values: readonly unknown[]): string {
  return JSON.stringify(values);
}
