import { Schema, type Connection } from 'mongoose';
import { isDuplicateKey, readByIds } from '../store/store-traits';
import type { Stage } from './evaluation-rules';

/** One rating (好差评) of one application at one stage, as it was given. */
export interface EvaluationRecord {
  /** `<applicationId>:<stage>`: the insert of this id is what makes a rating once only, on every store. */
  id: string;
  applicationId: string;
  stage: Stage;
  level: number;
  comment: string;
  reasons: string[];
  /** online: the applicant on the public status page (its query-code token); window: recorded by a window clerk. */
  channel: 'online' | 'window';
  by: { kind: 'enterprise' | 'staff'; id: string; name: string };
  at: Date;
  /** Who is rated: the office the application was routed to, and the item. */
  jurisdiction: string;
  itemCode: string;
}

export const evaluationId = (applicationId: string, stage: Stage) => `${applicationId}:${stage}`;

export type EvaluationStore = ReturnType<typeof createEvaluationStore>;

/** Ratings by `_id` only: one per application and stage, read with the application's stages. */
export function createEvaluationStore(conn: Connection) {
  const Evaluations = conn.models.Evaluation ?? conn.model('Evaluation', new Schema({ _id: String }, { strict: false, versionKey: false }), 'evaluations');
  const fromDoc = ({ _id, ...rest }: Record<string, unknown>) => ({ id: String(_id), ...rest }) as EvaluationRecord;
  return {
    /** Records the rating; false when the application was already rated at that stage (the first one stays). */
    async insert(evaluation: EvaluationRecord): Promise<boolean> {
      const { id, ...rest } = evaluation;
      try {
        await Evaluations.collection.insertOne({ _id: id as never, ...rest });
        return true;
      } catch (e) {
        if (isDuplicateKey(e)) return false;
        throw e;
      }
    },
    async get(applicationId: string, stage: Stage): Promise<EvaluationRecord | null> {
      const doc = await Evaluations.collection.findOne({ _id: evaluationId(applicationId, stage) as never });
      return doc ? fromDoc(doc) : null;
    },
    /** The ratings of an application at these stages, in the order given. */
    async forApplication(applicationId: string, stages: readonly Stage[]): Promise<EvaluationRecord[]> {
      return (await readByIds<Record<string, unknown>>(Evaluations.collection, stages.map((s) => evaluationId(applicationId, s)))).map(fromDoc);
    },
  };
}
