import type { FallbackBehavior, LogoutReason, StoredSession } from './types';

/** What tabs of one origin tell each other. */
export type BusMessage =
  | { type: 'session'; state: StoredSession }
  | { type: 'logout'; reason: LogoutReason; fallback: FallbackBehavior; sessionId: string | null }
  | { type: 'activity'; at: number }
  | { type: 'lease'; until: number }
  | { type: 'release' };

export type Envelope = BusMessage & { from: string };

export interface BroadcastChannelLike {
  postMessage(message: unknown): void;
  close(): void;
  onmessage: ((event: MessageEvent) => void) | null;
}

export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface TabBus {
  post(message: BusMessage): void;
  subscribe(listener: (message: Envelope) => void): () => void;
  close(): void;
}

export interface BusEnvironment {
  tabId: string;
  channel: ((name: string) => BroadcastChannelLike) | null;
  storage: StorageLike | null;
  /** Where `storage` events arrive (the window), for the fallback without BroadcastChannel. */
  storageEvents: EventTarget | null;
}

/**
 * BroadcastChannel where the browser has it; otherwise `storage` events on one
 * localStorage key (every other tab of the origin sees each write); otherwise
 * nothing crosses tabs and each tab is on its own.
 */
export function openTabBus(name: string, env: BusEnvironment): TabBus {
  const listeners = new Set<(message: Envelope) => void>();
  const deliver = (data: unknown) => {
    const message = data as Envelope;
    if (!message || typeof message !== 'object' || message.from === env.tabId) return;
    for (const listener of [...listeners]) listener(message);
  };
  const subscribe = (listener: (message: Envelope) => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };

  if (env.channel) {
    const channel = env.channel(name);
    channel.onmessage = (event) => deliver(event.data);
    return {
      post: (message) => channel.postMessage({ ...message, from: env.tabId }),
      subscribe,
      close: () => {
        listeners.clear();
        channel.close();
      },
    };
  }

  const storage = env.storage;
  const events = env.storageEvents;
  if (storage && events) {
    const key = `${name}:bus`;
    let counter = 0;
    const onStorage = (event: Event) => {
      const e = event as StorageEvent;
      if (e.key !== key || !e.newValue) return;
      try {
        deliver(JSON.parse(e.newValue));
      } catch {
        // Another library's value under our key: not a message.
      }
    };
    events.addEventListener('storage', onStorage);
    return {
      // The counter makes every write a change, so two equal messages both fire `storage`.
      post: (message) => storage.setItem(key, JSON.stringify({ ...message, from: env.tabId, n: ++counter })),
      subscribe,
      close: () => {
        listeners.clear();
        events.removeEventListener('storage', onStorage);
      },
    };
  }

  return { post: () => undefined, subscribe, close: () => listeners.clear() };
}
