/** Collects positional parameters and renders placeholders in the driver's syntax (`?` or `$n`). */
export class SqlParams {
  readonly values: unknown[] = [];

  constructor(private readonly driver: 'sqlite' | 'postgres') {}

  add(value: unknown): string {
    this.values.push(value);
    return this.driver === 'postgres' ? `$${this.values.length}` : '?';
  }
}

export type SqlDriver = 'sqlite' | 'postgres';

/** Driver of a TypeORM data source, as far as our SQL cares. */
export function sqlDriverOf(type: string): SqlDriver {
  return type === 'postgres' ? 'postgres' : 'sqlite';
}
