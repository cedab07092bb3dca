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
 * one `JSON.stringify` of the batch costs a few µs per row. The SQL text depends only on the table and
 * columns, so it is built once and reused.
 */
export class JsonBatchInsert<Row> {
  private readonly sql: string;

  constructor(
    driver: SqlDriver,
    table: string,
    columns: ReadonlyArray<BatchColumn>,
    /** Maps a row to its values, in column order (numbers, strings, booleans or null). */
    private readonly values: (row: Row) => unknown[],
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

  statement(rows: readonly Row[]): { sql: string; params: unknown[] } {
    const values = this.values;
    return { sql: this.sql, params: [JSON.stringify(rows.map((row) => values(row)))] };
  }
}
