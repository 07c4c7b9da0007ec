import type { ApplicationRecord, EffectRecord, TimelineEntry } from './application-record';

/** The fields a state change writes, plus what it appends to the timeline and outbox. */
export interface ApplicationChange {
  set: Partial<Omit<ApplicationRecord, 'id' | 'version' | 'timeline' | 'outbox'>>;
  timeline: TimelineEntry[];
  outbox: EffectRecord[];
}

/**
 * What the engine needs of persistence, and no more (the store in src/store implements it); the engine
 * names its port so it depends on no store module.
 */
export interface ApplicationRepository {
  get(id: string): Promise<ApplicationRecord | null>;
  /** Stores a new application (version 1). */
  insert(record: ApplicationRecord): Promise<void>;
  /**
   * Saves a change only if nobody else changed the application since `expectedVersion` was read; returns the new
   * version, or throws VERSION_CONFLICT. `base` is the application as read at that version.
   */
  compareAndSet(id: string, expectedVersion: number, change: ApplicationChange, base?: ApplicationRecord): Promise<number>;
}
