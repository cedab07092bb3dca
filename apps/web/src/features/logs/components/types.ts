/** Names for ids shown in logs; the page supplies them from the keys/upstreams/client-keys features. */
export interface NamedOption {
  id: string;
  name: string;
}

export interface LogLookups {
  keys: NamedOption[];
  upstreams: NamedOption[];
  clients: NamedOption[];
}

export function nameOf(options: NamedOption[], id: string | null): string {
  if (!id) {
    return '—';
  }
  return options.find((o) => o.id === id)?.name ?? id.slice(0, 8);
}
