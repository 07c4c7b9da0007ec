import { Schema, type Connection } from 'mongoose';

const leaseSchema = new Schema({ _id: String, owner: String, until: Date }, { versionKey: false });

export type LeaseStore = ReturnType<typeof createLeaseStore>;

/** Short exclusive leases keyed by name (a unique _id), so one process at a time does a piece of work. */
export function createLeaseStore(conn: Connection, owner: string) {
  const Leases = conn.models.Lease ?? conn.model('Lease', leaseSchema, 'leases');
  return {
    /** Takes the lease if it is free or expired; false when another owner holds it. */
    async tryAcquire(key: string, ms: number, now: Date): Promise<boolean> {
      const until = new Date(now.getTime() + ms);
      try {
        await Leases.collection.insertOne({ _id: key, owner, until } as never);
        return true;
      } catch (e) {
        if ((e as { code?: number }).code !== 11000) throw e;
      }
      const taken = await Leases.collection.updateOne(
        { _id: key, $or: [{ until: { $lte: now } }, { owner }] } as never,
        { $set: { owner, until } },
      );
      return taken.modifiedCount === 1 || taken.matchedCount === 1;
    },
    async release(key: string): Promise<void> {
      await Leases.collection.deleteOne({ _id: key, owner } as never);
    },
    /** Removes leases that ran out long ago (FerretDB has no TTL indexes). */
    async purgeExpired(before: Date): Promise<number> {
      const result = await Leases.collection.deleteMany({ until: { $lt: before } });
      return result.deletedCount;
    },
  };
}
