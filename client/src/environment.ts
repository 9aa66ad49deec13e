import type { LockManagerLike } from './refresh-lock';
import type { BroadcastChannelLike, StorageLike } from './tab-bus';

/** What the browser offers, looked up defensively: any of it may be missing or blocked. */
export function defaultStorage(): StorageLike | null {
  try {
    return typeof localStorage !== 'undefined' ? localStorage : null;
  } catch {
    return null; // storage blocked (privacy settings, sandboxed iframe)
  }
}

export function defaultLocks(): LockManagerLike | null {
  const nav = typeof navigator !== 'undefined' ? (navigator as Navigator & { locks?: LockManagerLike }) : undefined;
  return nav?.locks ?? null;
}

export function defaultChannel(): ((name: string) => BroadcastChannelLike) | null {
  return typeof BroadcastChannel === 'function' ? (name: string) => new BroadcastChannel(name) : null;
}

export const defaultWindow = (): (EventTarget & Window) | null => (typeof window !== 'undefined' ? window : null);

export const randomId = (): string =>
  typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`;

export const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));
