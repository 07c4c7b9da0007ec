import { Schema, type Connection } from 'mongoose';

/** Who did what, from where: one insert-only record per staff action. */
export interface AuditRecord {
  at: Date;
  requestId: string;
  actor: { kind: string; id: string; role?: string; jurisdiction?: string };
  ip: string;
  method: string;
  path: string;
  status: number;
}

const auditSchema = new Schema(
  { at: Date, requestId: String, actor: Schema.Types.Mixed, ip: String, method: String, path: String, status: Number },
  { versionKey: false, autoIndex: false },
);
auditSchema.index({ 'actor.id': 1, at: -1 });
auditSchema.index({ at: -1 });

export type AuditStore = ReturnType<typeof createAuditStore>;

export function createAuditStore(conn: Connection) {
  const Audit = conn.models.Audit ?? conn.model('Audit', auditSchema, 'audit_log');
  return {
    async ensureIndexes(): Promise<void> {
      await Audit.createIndexes();
    },
    async record(entry: AuditRecord): Promise<void> {
      await Audit.collection.insertOne({ ...entry });
    },
    /** Many records at once (seeding and imports). */
    async recordMany(entries: AuditRecord[]): Promise<void> {
      if (entries.length) await Audit.collection.insertMany(entries.map((e) => ({ ...e })), { ordered: false });
    },
    async list(filter: { actorId?: string }, limit: number): Promise<AuditRecord[]> {
      const query = filter.actorId ? { 'actor.id': filter.actorId } : {};
      const docs = await Audit.find(query).sort({ at: -1 }).limit(limit).lean<(AuditRecord & { _id: unknown })[]>();
      return docs.map(({ _id: _ignored, ...rest }) => rest);
    },
  };
}
