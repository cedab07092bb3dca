/** A tiny queue of snackbar messages, usable from anywhere (query client hooks, components). */
export type NoticeSeverity = 'success' | 'info' | 'warning' | 'error';

export interface Notice {
  id: number;
  message: string;
  severity: NoticeSeverity;
}

let queue: Notice[] = [];
let nextId = 1;
const listeners = new Set<() => void>();

function emit(): void {
  for (const listener of listeners) {
    listener();
  }
}

export const notices = {
  snapshot: (): Notice[] => queue,
  push: (message: string, severity: NoticeSeverity = 'info'): void => {
    // Identical messages in a row (e.g. several queries failing at once) show once.
    if (queue.some((n) => n.message === message)) {
      return;
    }
    queue = [...queue, { id: nextId++, message, severity }];
    emit();
  },
  dismiss: (id: number): void => {
    queue = queue.filter((n) => n.id !== id);
    emit();
  },
  subscribe: (listener: () => void): (() => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

export const notify = {
  success: (message: string) => notices.push(message, 'success'),
  info: (message: string) => notices.push(message, 'info'),
  error: (message: string) => notices.push(message, 'error'),
};
