import { useSyncExternalStore } from 'react';

/**
 * The admin JWT, kept in localStorage so a reload stays signed in.
 * A tiny external store so React re-renders (and redirects to login) when it is cleared.
 */
const STORAGE_KEY = 'keypool.accessToken';
const listeners = new Set<() => void>();

function read(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

let current: string | null = read();

function emit(): void {
  for (const listener of listeners) {
    listener();
  }
}

export const authToken = {
  get: (): string | null => current,
  set: (token: string): void => {
    current = token;
    window.localStorage.setItem(STORAGE_KEY, token);
    emit();
  },
  clear: (): void => {
    if (current === null) {
      return;
    }
    current = null;
    window.localStorage.removeItem(STORAGE_KEY);
    emit();
  },
  subscribe: (listener: () => void): (() => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

/** The current token; re-renders when it is set or cleared. */
export function useAuthToken(): string | null {
  return useSyncExternalStore(authToken.subscribe, authToken.get);
}
