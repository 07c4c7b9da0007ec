import type { ApplicationRecord } from '../engine/application-record';
import { hashEntry } from '../engine/plan-change';

/** Recomputes the hash chain of the timeline; `brokenAt` is the seq of the first entry that does not match. */
export function verifyTimeline(app: ApplicationRecord): { valid: boolean; brokenAt: number | null; entries: number } {
  let prevHash = '';
  for (const [index, entry] of app.timeline.entries()) {
    const { hash, ...rest } = entry;
    if (entry.seq !== index + 1 || hashEntry(prevHash, { ...rest, at: new Date(rest.at) }) !== hash) {
      return { valid: false, brokenAt: entry.seq ?? index + 1, entries: app.timeline.length };
    }
    prevHash = hash;
  }
  return { valid: true, brokenAt: null, entries: app.timeline.length };
}
