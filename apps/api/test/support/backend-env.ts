/**
 * Extra environment for a keypool process under test: selects Postgres / Redis when the suite runs
 * against them. (Placeholder: SQLite only; the scale-out work fills it in.)
 */
export function backendEnv(_instanceId: string): Promise<Record<string, string>> {
  return Promise.resolve({});
}
