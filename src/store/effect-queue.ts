import { Schema, type Connection, type mongo } from 'mongoose';
import type { EffectRecord } from '../engine/application-record';
import { isDuplicateKey } from './versioned-update';

/** A marker left for an orphaned claim (a writer that lost its version or died before claiming) is dropped after this. */
export const ORPHAN_MARKER_AFTER_MS = 10 * 60_000;

// One small document per journal entry whose effects are not settled, so runners and sweeps read this
// short queue instead of the whole journal (FerretDB 1.x scans a collection for any filter but `_id`).
const markerSchema = new Schema({ _id: String, entity: { type: String, required: true }, version: Number, at: Date, viewChecked: Boolean }, { versionKey: false, autoIndex: false });
markerSchema.index({ entity: 1 });
markerSchema.index({ at: 1 });

export type EffectQueue = ReturnType<typeof createEffectQueue>;

/**
 * Markers are bookkeeping timed by the wall clock, whatever clock the domain runs on (tests, `job --now`).
 * The journal stays the truth (`hasPendingEffects` on each entry); a marker is a hint sent with the entry's
 * claim and landed before its document (a claim left without one is marked by its roll-forward, versioned-update.ts),
 * so no change with effects is ever written without one; it is removed once the entry is settled.
 */
export function createEffectQueue(conn: Connection, journal: mongo.Collection<mongo.Document>) {
  const Markers = conn.models.EffectQueueMarker ?? conn.model('EffectQueueMarker', markerSchema, 'effect_queue');
  return {
    ensureIndexes: () => Markers.createIndexes(),

    /** Marks `<id>:<version>` as the writer claims it (a marker already there from a losing writer, or from a roller, is fine). */
    async mark(id: string, version: number): Promise<void> {
      try {
        await Markers.collection.insertOne({ _id: `${id}:${version}`, entity: id, version, at: new Date() } as never);
      } catch (e) {
        if (!isDuplicateKey(e)) throw e;
      }
    },

    /** Applications with marked entries, oldest marker first. */
    async entities(limit: number): Promise<string[]> {
      const docs = await Markers.find({ at: { $lte: new Date() } }).select({ entity: 1 }).sort({ at: 1 }).limit(limit).lean<{ entity: string }[]>();
      return [...new Set(docs.map((d) => d.entity))];
    },

    /** The marked journal entries of one application that still have effects to run, oldest first; stale markers are dropped. */
    async pendingEntries(id: string): Promise<{ version: number; effects: EffectRecord[] }[]> {
      const markers = await Markers.find({ entity: id }).sort({ version: 1 }).lean<{ _id: string; version: number; at: Date }[]>();
      const pending: { version: number; effects: EffectRecord[] }[] = [];
      for (const marker of markers) {
        const entry = await journal.findOne({ _id: marker._id as never }, { projection: { version: 1, effects: 1, hasPendingEffects: 1 } });
        if (entry?.hasPendingEffects) pending.push({ version: entry.version, effects: entry.effects });
        else if (entry || Date.now() - new Date(marker.at).getTime() > ORPHAN_MARKER_AFTER_MS) await this.unmark(id, marker.version);
      }
      return pending;
    },

    /** Markers older than `olderThanMs` whose open-work view has not been checked (application-store.ts, repairViews). */
    async viewUnchecked(olderThanMs: number): Promise<{ entity: string; version: number }[]> {
      return Markers.find({ at: { $lt: new Date(Date.now() - olderThanMs) }, viewChecked: { $ne: true } }).select({ entity: 1, version: 1 }).limit(500)
        .lean<{ entity: string; version: number }[]>();
    },

    async viewChecked(id: string, version: number): Promise<void> {
      await Markers.collection.updateOne({ _id: `${id}:${version}` } as never, { $set: { viewChecked: true } });
    },

    async unmark(id: string, version: number): Promise<void> {
      await Markers.collection.deleteOne({ _id: `${id}:${version}` } as never);
    },
  };
}
