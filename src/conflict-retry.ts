import { isAppError } from './errors';

export interface ConflictRetryOptions<T> {
  /** How many times `attempt` may run before giving up. */
  attempts: number;
  /** What to do when every attempt met a conflict: throw, or return a value. */
  exhausted: () => T;
  /** Waits before the next attempt (after attempt `n`, counted from 0). */
  pause?: (n: number) => Promise<void>;
}

/**
 * Runs `attempt` again while it fails with VERSION_CONFLICT: a versioned write lost to another writer, so the
 * attempt reads again and decides anew. Any other error is thrown at once.
 */
export async function withConflictRetry<T>(attempt: (n: number) => Promise<T>, options: ConflictRetryOptions<T>): Promise<T> {
  for (let n = 0; n < options.attempts; n++) {
    try {
      return await attempt(n);
    } catch (e) {
      if (!(isAppError(e) && e.code === 'VERSION_CONFLICT')) throw e;
      if (options.pause && n + 1 < options.attempts) await options.pause(n);
    }
  }
  return options.exhausted();
}
