import { Schema, type Connection } from 'mongoose';
import { claimNext } from './keyed-log';

/** Round-robin 分办: each accepted chained case of a jurisdiction claims the next turn, `<jurisdiction>:<n>` by `_id`. */
export function createAssignmentTurns(conn: Connection) {
  const Turns = conn.models.AssignmentTurn ?? conn.model('AssignmentTurn', new Schema({ _id: String }, { strict: false, versionKey: false }), 'assignment_turns');
  return {
    /** The next turn (1, 2, …) of the jurisdiction, for the application that takes it. */
    next: (jurisdiction: string, applicationId: string): Promise<number> => claimNext(Turns.collection, jurisdiction, ':', () => ({ applicationId, at: new Date() })),
  };
}
