import { Schema, type Connection } from 'mongoose';
import { claimNext, highestClaimed } from './keyed-log';
import { readByIds } from './store-traits';

/** 内部意见: a note staff keep on an application, never shown to the applicant or on the public status page. */
export interface InternalNote {
  n: number;
  applicationId: string;
  text: string;
  by: { username: string; name: string; role: string };
  at: Date;
}

export type InternalNoteStore = ReturnType<typeof createInternalNoteStore>;

/** Internal notes keyed `<applicationId>:<n>`, so adding and reading them are `_id` operations however many there are. */
export function createInternalNoteStore(conn: Connection) {
  const Notes = conn.models.InternalNote ?? conn.model('InternalNote', new Schema({ _id: String }, { strict: false, versionKey: false }), 'internal_notes');
  return {
    async add(applicationId: string, text: string, by: InternalNote['by'], at: Date): Promise<InternalNote> {
      const n = await claimNext(Notes.collection, applicationId, ':', () => ({ applicationId, text, by, at }));
      return { n, applicationId, text, by, at };
    },
    /** An application's notes, oldest first. */
    async list(applicationId: string): Promise<InternalNote[]> {
      const top = await highestClaimed(Notes.collection, applicationId, ':');
      const ids = Array.from({ length: top }, (_, i) => `${applicationId}:${i + 1}`);
      const docs = await readByIds<{ _id: string; applicationId: string; text: string; by: InternalNote['by']; at: Date }>(Notes.collection, ids);
      return docs.map((d) => ({ n: Number(d._id.slice(d._id.lastIndexOf(':') + 1)), applicationId: d.applicationId, text: d.text, by: d.by, at: d.at }))
        .sort((a, b) => a.n - b.n);
    },
  };
}
