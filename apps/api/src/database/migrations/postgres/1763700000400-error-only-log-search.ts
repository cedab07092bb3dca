import type { MigrationInterface } from 'typeorm';

/**
 * Mirrors the SQLite migration of the same name, which moved paths and models out of SQLite's trigram
 * index. Postgres keeps its pg_trgm index over path, model and error: nothing changes here.
 */
export class ErrorOnlyLogSearch1763700000400 implements MigrationInterface {
  name = 'ErrorOnlyLogSearch1763700000400';

  async up(): Promise<void> {}

  async down(): Promise<void> {}
}
